package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpCommandVipManagerTest {
    @TempDir
    Path dir;

    @Test
    void parsesAddressesPrefixesAndLabels() throws IOException {
        String out = """
                3: d0    inet 10.9.0.1/24 scope global d0\\       valid_lft forever preferred_lft forever
                3: d0    inet 10.9.0.130/32 scope global d0:vip\\       valid_lft forever preferred_lft forever
                3: d0    inet 10.9.0.5/24 scope global secondary d0:b\\       valid_lft forever preferred_lft forever
                3: d0    inet6 fe80::7c02:c1ff:fea9:b45c/64 scope link \\       valid_lft forever preferred_lft forever
                """;
        List<VipManager.Assigned> list = IpCommandVipManager.parse(out);
        assertEquals(List.of(
                new VipManager.Assigned(InetAddress.getByName("10.9.0.1"), 24, null),
                new VipManager.Assigned(InetAddress.getByName("10.9.0.130"), 32, "d0:vip"),
                new VipManager.Assigned(InetAddress.getByName("10.9.0.5"), 24, "d0:b"),
                new VipManager.Assigned(InetAddress.getByName("fe80::7c02:c1ff:fea9:b45c"), 64, null)), list);
    }

    /** A stand-in for ip that records its arguments and answers like iproute2 6.x for existing addresses. */
    private Path fakeIp(String addBehaviour) throws IOException {
        Path script = dir.resolve("ip");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("calls") + "\n" + addBehaviour);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(dir.resolve("calls"));
    }

    @Test
    void addPassesArgumentsWithoutAShell() throws IOException {
        var vips = new IpCommandVipManager(fakeIp("exit 0").toString(), List.of());
        assertTrue(vips.add("eth0", InetAddress.getByName("192.168.16.130"), 32, "eth0:vip"));
        assertEquals(List.of("-4 addr add 192.168.16.130/32 dev eth0 label eth0:vip"), calls());
    }

    @Test
    void addingAnExistingAddressIsNotAnError() throws IOException {
        var vips = new IpCommandVipManager(fakeIp(
                "echo 'Error: ipv4: Address already assigned.' >&2; exit 2").toString(), List.of());
        assertTrue(vips.add("eth0", InetAddress.getByName("192.168.16.130"), 32, null));
    }

    @Test
    void removingAMissingAddressIsNotAnError() throws IOException {
        var vips = new IpCommandVipManager(fakeIp(
                "echo 'Error: ipv4: Address not found.' >&2; exit 2").toString(), List.of());
        assertTrue(vips.remove("eth0", InetAddress.getByName("192.168.16.130"), 32));
        assertEquals(List.of("-4 addr del 192.168.16.130/32 dev eth0"), calls());
    }

    @Test
    void otherFailuresAreReported() throws IOException {
        var vips = new IpCommandVipManager(fakeIp(
                "echo 'Cannot find device \"eth9\"' >&2; exit 1").toString(), List.of());
        assertFalse(vips.add("eth9", InetAddress.getByName("192.168.16.130"), 32, null));
        assertFalse(vips.remove("eth9", InetAddress.getByName("192.168.16.130"), 32));
    }
}
