package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskChecksTest {
    /** On an interface no host has, so that the subnet check stays out of the tests that are not about it. */
    private static AgentConfig config(String extra) throws ConfigException {
        return Configs.load(Configs.instance(extra).replace("interface eth0", "interface nosuch9")).config();
    }

    @Test
    void samplePasswordIsNamedWithItsInstanceLine() throws Exception {
        AgentConfig c = config(" authentication {\n auth_type PASS\n auth_pass 1111\n }\n");
        Files.setPosixFilePermissions(Configs.file(), PosixFilePermissions.fromString("rw-------"));
        List<String> w = RiskChecks.of(c);
        assertEquals(List.of(Configs.file() + ":1: vrrp_instance VI_1 uses auth_pass 1111, keepalived's sample "
                + "password; any host on the LAN can guess it"), w);
    }

    @Test
    void worldReadableFileWithAPasswordIsWarnedAbout() throws Exception {
        AgentConfig c = config(" authentication {\n auth_type PASS\n auth_pass s3cr3t\n }\n");
        Files.setPosixFilePermissions(Configs.file(), PosixFilePermissions.fromString("rw-r--r--"));
        List<String> w = RiskChecks.of(c);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("readable by other users"), w.toString());
        Files.setPosixFilePermissions(Configs.file(), PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(List.of(), RiskChecks.of(c));
    }

    @Test
    void worldReadableFileWithoutPasswordIsFine() throws Exception {
        AgentConfig c = config("");
        Files.setPosixFilePermissions(Configs.file(), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(), RiskChecks.of(c));
    }

    @Test
    void vipOutsideTheLoopbackSubnetIsWarnedAboutAndInsideIsNot() throws Exception {
        // lo exists on every Linux host with 127.0.0.1/8: the only interface a unit test can rely on
        String outside = "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 66\n virtual_ipaddress {\n"
                + "  10.9.9.9/24\n  127.0.0.55/8\n }\n}\n";
        List<String> w = RiskChecks.of(Configs.load(outside).config());
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith(Configs.file() + ":5: VIP 10.9.9.9 of vrrp_instance VI_1 is outside the "
                + "subnets of lo (127.0.0.1/8)"), w.get(0));
    }

    @Test
    void missingInterfaceSaysNothingAboutSubnets() throws Exception {
        assertEquals(List.of(), RiskChecks.of(config("")));
    }

    @Test
    void subnetArithmetic() throws Exception {
        InetAddress a = InetAddress.getByName("192.168.16.128");
        assertTrue(RiskChecks.sameSubnet(a, InetAddress.getByName("192.168.16.130"), 24));
        assertFalse(RiskChecks.sameSubnet(a, InetAddress.getByName("192.168.17.130"), 24));
        assertTrue(RiskChecks.sameSubnet(a, InetAddress.getByName("192.168.17.130"), 23));
        assertFalse(RiskChecks.sameSubnet(a, InetAddress.getByName("192.168.16.1"), 25));
    }

    @Test
    void peersWithEqualPrioritiesOrDifferentSettingsAreWarnedAbout() throws Exception {
        AgentConfig mine = config(" priority 100\n");
        AgentConfig same = config(" priority 100\n");
        AgentConfig lower = config(" priority 90\n");
        AgentConfig otherInterval = config(" priority 90\n advert_int 2\n");
        List<String> w = RiskChecks.againstPeer(mine, same);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("has priority 100, the same as VI_1"), w.get(0));
        assertEquals(List.of(), RiskChecks.againstPeer(mine, lower));
        List<String> w2 = RiskChecks.againstPeer(mine, otherInterval);
        assertEquals(1, w2.size(), w2.toString());
        assertTrue(w2.get(0).contains("advert_int, version or auth_pass"), w2.get(0));
    }

    @Test
    void peersWithDifferentVipsAreWarnedAbout() throws Exception {
        AgentConfig mine = config(" priority 100\n");
        String other = "vrrp_instance VI_X {\n interface nosuch8\n virtual_router_id 66\n priority 90\n"
                + " virtual_ipaddress { 10.1.1.2 }\n}\n";
        List<String> w = RiskChecks.againstPeer(mine, Configs.load(other).config());
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("has VIPs [/10.1.1.1] but VI_X"), w.get(0));
    }

    @Test
    void peerInstancesWithOtherVridsAreNotCompared() throws Exception {
        AgentConfig mine = config(" priority 100\n");
        String other = "vrrp_instance VI_1 {\n interface nosuch9\n virtual_router_id 67\n priority 100\n"
                + " virtual_ipaddress { 10.1.1.9 }\n}\n";
        assertEquals(List.of(), RiskChecks.againstPeer(mine, Configs.load(other).config()));
    }

    @Test
    void missingFileIsAnErrorNamingIt() {
        Path missing = Path.of("/nonexistent/vrrp.conf");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.loadWithWarnings(missing));
        assertTrue(e.problems().get(0).contains("/nonexistent/vrrp.conf"), e.problems().toString());
    }

    @Test
    void trackFileInAMissingDirectoryIsWarnedAbout() throws Exception {
        String blocks = "track_file gone {\n file /nonexistent-dir-9/maint\n}\ntrack_file here {\n file /tmp/maint\n}\n";
        AgentConfig c = Configs.load(blocks + Configs.instance(" track_file {\n  gone\n  here\n }\n")
                .replace("interface eth0", "interface nosuch9")).config();
        assertEquals(List.of(Configs.file() + ":1: the directory /nonexistent-dir-9 of track_file gone does not exist "
                + "on this host; the file cannot be watched and reads as 0"),
                RiskChecks.of(c).stream().filter(w -> w.contains("track_file")).toList());
    }

    @org.junit.jupiter.api.Test
    void nftIsLookedUpOnThePathForAcceptModeOff() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("risk-path");
        assertEquals(null, RiskChecks.findOnPath("nft", dir.toString()));
        java.nio.file.Path nft = java.nio.file.Files.createFile(dir.resolve("nft"));
        assertEquals(null, RiskChecks.findOnPath("nft", dir.toString()), "not executable");
        nft.toFile().setExecutable(true);
        assertEquals(nft, RiskChecks.findOnPath("nft", "/nonexistent:" + dir));
    }
}
