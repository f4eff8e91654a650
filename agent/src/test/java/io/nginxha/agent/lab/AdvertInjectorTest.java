package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.net.Frames;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.Instance;
import io.nginxha.agent.vrrp.VrrpState;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each crafted frame of {@link AdvertInjector} is refused for the reason its kind names, by the agent's own
 * receive path (frame parser, codec, instance checks) against the lab's seed config: so that HostileIT, which
 * counts the drops of a running agent, tests what it claims to.
 */
class AdvertInjectorTest {
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};

    @TempDir
    Path dir;

    private Optional<DropReason> refusal(AdvertInjector.Kind kind, String config, String dst) throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), config);
        AgentConfig agentConfig = ConfigLoader.load(file);
        InetAddress self = InetAddress.getByName("192.168.16.128");
        InetAddress attacker = InetAddress.getByName("192.168.16.66");
        InetAddress destination = InetAddress.getByName(dst);
        byte[] frame = AdvertInjector.frame(kind, MAC, destination.isMulticastAddress()
                ? Frames.multicastMac(destination) : MAC, attacker, destination, InetAddress.getByName(NetnsLab.VIP));
        assertTrue(frame.length <= 1514, "fits a 1500-byte MTU: " + frame.length);
        Frames.IpPacket ip = Frames.parseIp(frame).orElseThrow(() -> new AssertionError("not an IP frame"));
        assertEquals(112, ip.protocol());
        var decoded = AdvertCodec.decode(ip.payload(), ip.src(), ip.dst(), ip.ttl());
        if (decoded instanceof AdvertCodec.Decoded.Dropped d) {
            return Optional.of(d.reason());
        }
        var config1 = agentConfig.instances().get(0);
        if (!config1.unicastPeers().isEmpty() && !config1.unicastPeers().contains(ip.src())) {
            return Optional.of(DropReason.NOT_A_PEER); // the agent's (and its capture filter's) peer check
        }
        Instance instance = new Instance(config1, self);
        instance.step(new Event.Startup(), 0);
        List<Action> actions = instance.step(new Event.AdvertReceived(ip.src(),
                ((AdvertCodec.Decoded.Ok) decoded).advert()), 1_000_000);
        assertEquals(VrrpState.BACKUP, instance.state());
        return actions.stream().filter(a -> a instanceof Action.AdvertDropped).map(a -> ((Action.AdvertDropped) a)
                .reason()).findFirst();
    }

    @Test
    void everyMulticastKindIsRefusedForItsOwnReason() throws Exception {
        String seed = LabConfigs.seed("MASTER", 100);
        for (AdvertInjector.Kind kind : AdvertInjector.Kind.values()) {
            if (kind == AdvertInjector.Kind.STRANGER_PRIORITY_255 || kind.reason == null) {
                continue;
            }
            assertEquals(Optional.of(kind.reason), refusal(kind, seed, "224.0.0.18"), kind.name());
        }
    }

    @Test
    void strangerWithPriority255IsAcceptedWithoutPeersAndRefusedWithThem() throws Exception {
        AdvertInjector.Kind kind = AdvertInjector.Kind.STRANGER_PRIORITY_255;
        assertEquals(Optional.empty(), refusal(kind, LabConfigs.seed("MASTER", 100), "224.0.0.18"),
                "a control: only the unicast peer list stops it");
        String unicast = LabConfigs.seed("MASTER", 100, 2, "1",
                LabConfigs.unicast("192.168.16.128", "192.168.16.129"));
        assertEquals(Optional.of(DropReason.NOT_A_PEER), refusal(kind, unicast, "192.168.16.128"));
    }

    @Test
    void theRoguesAreValidAdvertsForTheirVersion() throws Exception {
        assertEquals(Optional.empty(), refusal(AdvertInjector.Kind.ROGUE_V2_255, LabConfigs.seed("MASTER", 100),
                "224.0.0.18"));
        assertEquals(Optional.empty(), refusal(AdvertInjector.Kind.ROGUE_V3_255_LONGEST_INTERVAL,
                LabConfigs.seed("MASTER", 100, 3, "1", ""), "224.0.0.18"));
        assertEquals(Optional.of(DropReason.VERSION), refusal(AdvertInjector.Kind.ROGUE_V3_255_LONGEST_INTERVAL,
                LabConfigs.seed("MASTER", 100), "224.0.0.18"), "a control: the v2 pair refuses it");
    }
}
