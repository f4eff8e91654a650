package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent implementation judges our bytes: Wireshark's dissector must see well-formed VRRP with verified
 * checksums. Wireshark always verifies the VRRP checksum (its only VRRP preference, {@code v3_checksum_as_in_v2},
 * stays at the RFC default of including the pseudo-header); the IPv4 header checksum needs
 * {@code ip.check_checksum}.
 */
class TsharkDissectionTest {
    static final byte[] MAC = Frames.virtualMac(66, false);
    static final InetAddress SRC4 = FramesTest.ip("192.168.16.128");
    static final InetAddress GROUP4 = FramesTest.ip("224.0.0.18");
    static final InetAddress VIP4 = FramesTest.ip("192.168.16.130");
    static final InetAddress SRC6 = FramesTest.ip("fe80::200:5eff:fe00:242");
    static final InetAddress GROUP6 = FramesTest.ip("ff02::12");
    static final InetAddress VIP6 = FramesTest.ip("2001:db8::130");

    @TempDir
    Path dir;

    @Test
    void tsharkAcceptsOurFrames() throws Exception {
        String tshark = onPath("tshark");
        Assumptions.assumeTrue(tshark != null, "tshark not installed");

        Advert v2 = new Advert(2, 66, 100, 100, List.of(VIP4), 1, "1111".getBytes(StandardCharsets.US_ASCII));
        Advert v3 = new Advert(3, 67, 150, 10, List.of(VIP4, FramesTest.ip("10.9.8.7")), 0, null);
        Advert v3six = new Advert(3, 68, 254, 4095, List.of(SRC6, VIP6), 0, null);
        Path file = dir.resolve("ours.pcap");
        Pcap.write(file, List.of(
                Frames.vrrp(MAC, Frames.multicastMac(GROUP4), SRC4, GROUP4, AdvertCodec.encode(v2, SRC4, GROUP4)),
                Frames.vrrp(MAC, Frames.multicastMac(GROUP4), SRC4, GROUP4, AdvertCodec.encode(v3, SRC4, GROUP4)),
                Frames.vrrp(Frames.virtualMac(68, true), Frames.multicastMac(GROUP6), SRC6, GROUP6,
                        AdvertCodec.encode(v3six, SRC6, GROUP6)),
                Frames.gratuitousArp(MAC, (Inet4Address) VIP4),
                Ipv6Frames.neighborAdvert(MAC, (Inet6Address) VIP6, false),
                Ipv6Frames.neighborSolicitation(MAC, (Inet6Address) FramesTest.ip("2001:db8::128"),
                        (Inet6Address) FramesTest.ip("2001:db8::129"))));

        String[] frames = run(tshark, "-r", file.toString(), "-V", "-o", "ip.check_checksum:TRUE").split("\n(?=Frame \\d+:)");
        assertEquals(6, frames.length, () -> String.join("\n", frames));

        assertShows(frames[0], "Version 2, Packet type 1 (Advertisement)", "Virtual Rtr ID: 66", "Priority: 100",
                "Addr Count: 1", "Adver Int: 1\n", "IP Address: 192.168.16.130", "Authentication String: 1111",
                "[Checksum Status: Good]", "[Header checksum status: Good]", "Time to Live: 255",
                "Differentiated Services Field: 0xc0");
        assertShows(frames[1], "Version 3, Packet type 1 (Advertisement)", "Virtual Rtr ID: 67", "Priority: 150",
                "Addr Count: 2", "Adver Int: 10\n", "IP Address: 192.168.16.130", "IP Address: 10.9.8.7",
                "[Checksum Status: Good]", "[Header checksum status: Good]");
        assertShows(frames[2], "Internet Protocol Version 6", "Hop Limit: 255", "Version 3, Packet type 1",
                "Virtual Rtr ID: 68", "Priority: 254", "Addr Count: 2", "Adver Int: 4095",
                "IPv6 Address: fe80::200:5eff:fe00:242", "IPv6 Address: 2001:db8::130", "[Checksum Status: Good]");
        assertShows(frames[3], "Opcode: request (1)", "[Is gratuitous: True]",
                "Sender IP address: 192.168.16.130", "Target IP address: 192.168.16.130",
                "Sender MAC address: ", "(00:00:5e:00:01:42)\n    Sender IP");
        assertShows(frames[4], "Destination Address: ff02::1\n", "Source Address: 2001:db8::130", "Hop Limit: 255",
                "Type: Neighbor Advertisement (136)", "[Checksum Status: Good]", ".0.. .... .... .... .... .... .... .... = Solicited: Not set",
                "..1. .... .... .... .... .... .... .... = Override: Set", "Target Address: 2001:db8::130",
                "Type: Target link-layer address (2)", "Link-layer address: IETF-VRRP-VRID_42 (00:00:5e:00:01:42)");
        assertShows(frames[5], "Destination Address: ff02::1:ff00:129", "Type: Neighbor Solicitation (135)",
                "[Checksum Status: Good]", "Target Address: 2001:db8::129", "Type: Source link-layer address (1)");
        for (String frame : frames) {
            assertTrue(!frame.contains("Malformed") && !frame.contains("[incorrect") && !frame.contains("Bad]"),
                    frame);
        }
    }

    static void assertShows(String dissection, String... expected) {
        for (String line : expected) {
            assertTrue(dissection.contains(line), () -> "missing \"" + line + "\" in\n" + dissection);
        }
    }

    static String onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(entry, program);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    private String run(String... command) throws IOException, InterruptedException {
        Path out = dir.resolve("tshark.out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD) // "running as root" warnings
                .start();
        // a generous cap only so a wedged tshark cannot hang the build
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, process.exitValue());
        return Files.readString(out);
    }
}
