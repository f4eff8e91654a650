package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.InstanceConfig.Tracked;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's defaults and copies, and the values derived from an instance (its devices, its wire identity). */
class InstanceConfigTest {
    private static final Source AT = new Source(Path.of("k.conf"), 3);

    private static VirtualAddress vip(String literal, String dev) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        return new VirtualAddress(address, address.getAddress().length * 8, dev, null, AT);
    }

    @Test
    void builderDefaultsAreWhatTheLoaderGivesForLinesNotWritten() throws Exception {
        Path conf = Path.of(InstanceConfigTest.class.getResource("/config/seed-backup.conf").toURI());
        InstanceConfig loaded = ConfigLoader.load(conf).instances().get(0);
        // only what the seed writes (and its sources) is set here: every other setting must match by default
        InstanceConfig built = InstanceConfig.builder("VI_1").iface("eth0").vrid(66).priority(99).authPass("1111")
                .vips(loaded.vips()).trackScripts(loaded.trackScripts()).source(loaded.source()).build();
        assertEquals(loaded, built);
    }

    @Test
    void toBuilderCopiesEverySettingAndChangesOnlyWhatIsSet() throws Exception {
        InstanceConfig ic = new InstanceConfig("VI_7", InitialState.MASTER, "eth1", 7, 150, 25, 3, null,
                List.of(vip("fd00::7", "eth2")), false, 4, InetAddress.getByName("fd00::1"),
                List.of(InetAddress.getByName("fd00::2")), List.of(new Tracked("chk", -5, false, AT)),
                List.of(new Tracked("eth3", null, false, AT)), List.of(new Tracked("drain", 2, true, AT)),
                new NotifyConfig(List.of("/bin/true"), List.of(), List.of(), List.of(), List.of(), true),
                new GarpConfig(1, 2, 3, 4, 5, 6, 7), AT, List.of(vip("fd00::8", null)), true,
                new InstanceConfig.Vmac("vrrp.7", true),
                List.of(new RouteConfig(true, InetAddress.getByName("fd00:99::"), 64, null, "eth1", null, 100, 5L, 0,
                        1, false, false, AT)),
                List.of(new RuleConfig(true, null, 0, true, null, 0, false, 100, 1, 100, null, null, null, null,
                        false, AT)), new VrrpOptions(true, false, false, true, true),
                List.of(new Tracked("nginx", -20, true, AT)));
        assertEquals(ic, ic.toBuilder().build());
        InstanceConfig lower = ic.toBuilder().priority(99).build();
        assertEquals(99, lower.priority());
        assertEquals(ic, lower.toBuilder().priority(150).build(), "nothing else changed");
    }

    @Test
    void aVipGoesOnItsOwnDeviceElseOnTheInstancesInterface() throws Exception {
        InstanceConfig ic = InstanceConfig.builder("VI_1").iface("eth0").build();
        assertEquals("eth1", ic.deviceOf(vip("10.0.0.1", "eth1")));
        assertEquals("eth0", ic.deviceOf(vip("10.0.0.1", null)));
    }

    @Test
    void wireIdTakesItsFamilyFromTheFirstVip() throws Exception {
        InstanceConfig.Builder b = InstanceConfig.builder("VI_1").iface("eth0").vrid(66);
        WireId v4 = b.vips(List.of(vip("10.0.0.1", null))).build().wireId();
        assertEquals(new WireId("eth0", WireId.Family.IPV4, 66), v4);
        assertEquals("eth0/IPv4/66", v4.toString());
        WireId v6 = b.vips(List.of(vip("fd00::1", null), vip("10.0.0.1", null))).build().wireId();
        assertEquals(new WireId("eth0", WireId.Family.IPV6, 66), v6);
        assertEquals("eth0/IPv6/66", v6.toString());
        assertEquals(WireId.Family.IPV4, b.vips(List.of()).build().wireId().family(), "no VIP: IPv4");
    }

    @Test
    void wireIdsDifferByInterfaceFamilyAndVridButNotByName() throws Exception {
        InstanceConfig a = InstanceConfig.builder("A").iface("eth0").vrid(51).vips(List.of(vip("10.0.0.1", null)))
                .build();
        assertEquals(a.wireId(), a.toBuilder().name("B").priority(200).vips(List.of(vip("10.0.0.9", null))).build()
                .wireId(), "the same router on the wire, renamed and retuned");
        assertNotEquals(a.wireId(), a.toBuilder().iface("eth1").build().wireId());
        assertNotEquals(a.wireId(), a.toBuilder().vrid(52).build().wireId());
        assertNotEquals(a.wireId(), a.toBuilder().vips(List.of(vip("fd00::1", null))).build().wireId());
    }
}
