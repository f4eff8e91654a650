package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VirtualAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The receive checks that need the instance's configuration (RFC 3768 7.1, RFC 5798 7.1), applied after the
 * codec's packet checks, in the order keepalived 2.2.7 applies them in vrrp_check_packet: version, (v2)
 * authentication type, password and advert interval, then the address count and list.
 */
final class AdvertChecks {
    static final int AUTH_NONE = 0;
    static final int AUTH_PASS = 1;
    static final int AUTH_AH = 2;
    static final int PASSWORD_LENGTH = 8;

    private final InstanceConfig config;
    private final InetAddress self;
    private final int authType;
    private final byte[] password;
    private final List<InetAddress> vips;

    AdvertChecks(InstanceConfig config, InetAddress self) {
        this.config = config;
        this.self = self;
        // keepalived ignores authentication for version 3 (vrrp_complete_instance), so do we.
        boolean pass = config.version() == 2 && config.authPass() != null && !config.authPass().isEmpty();
        this.authType = pass ? AUTH_PASS : AUTH_NONE;
        this.password = pass ? padded(config.authPass().getBytes(StandardCharsets.UTF_8)) : new byte[0];
        // Adverts carry only the addresses of the instance's own family.
        this.vips = config.vips().stream().map(VirtualAddress::address)
                .filter(a -> a.getClass() == self.getClass()).toList();
    }

    /** Why {@code advert} from {@code source} must be dropped, or empty when it may be processed. */
    Optional<Action.AdvertDropped> check(InetAddress source, Advert advert) {
        return check(source, advert, true);
    }

    /**
     * As {@link #check(InetAddress, Advert)}; without {@code checkAddresses} the address count and list are not
     * compared (keepalived's skip_check_adv_addr, for adverts from the master a backup already follows).
     */
    Optional<Action.AdvertDropped> check(InetAddress source, Advert advert, boolean checkAddresses) {
        if (advert.version() != config.version()) {
            return drop(DropReason.VERSION, "version " + advert.version() + ", expected " + config.version());
        }
        if (advert.vrid() != config.vrid()) {
            return drop(DropReason.VRID, "VRID " + advert.vrid() + ", expected " + config.vrid());
        }
        if (advert.version() == 2) {
            Optional<Action.AdvertDropped> auth = checkAuthentication(advert);
            if (auth.isPresent()) {
                return auth;
            }
            // v2 only: a different interval means a misconfigured peer, and two masters would follow.
            if (advert.intervalCs() != config.intervalCs()) {
                return drop(DropReason.INTERVAL, "advert interval " + Timers.formatSeconds(
                        Timers.centisToNanos(advert.intervalCs())) + ", ours "
                        + Timers.formatSeconds(Timers.centisToNanos(config.intervalCs())));
            }
        }
        // keepalived checks the count and that each configured VIP is present (order free); RFC: MAY.
        if (!checkAddresses) {
            return source.equals(self) ? drop(DropReason.OWN_ADVERT, "advert with our own address "
                    + self.getHostAddress()) : Optional.empty();
        }
        if (advert.addresses().size() != vips.size()) {
            return drop(DropReason.ADDRESS_COUNT, advert.addresses().size() + " addresses, expected " + vips.size());
        }
        for (InetAddress vip : vips) {
            if (!advert.addresses().contains(vip)) {
                return drop(DropReason.ADDRESS_LIST, vip.getHostAddress() + " missing from " + source.getHostAddress()
                        + "'s advert");
            }
        }
        if (source.equals(self)) {
            return drop(DropReason.OWN_ADVERT, "advert with our own address " + self.getHostAddress());
        }
        return Optional.empty();
    }

    private Optional<Action.AdvertDropped> checkAuthentication(Advert advert) {
        int type = advert.authType();
        if (type != AUTH_NONE && type != AUTH_PASS && type != AUTH_AH) {
            return drop(DropReason.AUTH_TYPE, "invalid auth type " + type);
        }
        if (type != authType) {
            return drop(DropReason.AUTH_TYPE, "auth type " + type + ", expected " + authType);
        }
        // keepalived compares all 8 bytes, the configured password zero padded (constant time).
        if (type == AUTH_PASS && !MessageDigest.isEqual(padded(advert.authData()), password)) {
            return drop(DropReason.AUTH_PASSWORD, "wrong password");
        }
        return Optional.empty();
    }

    private static byte[] padded(byte[] bytes) {
        return Arrays.copyOf(bytes, PASSWORD_LENGTH);
    }

    private static Optional<Action.AdvertDropped> drop(DropReason reason, String detail) {
        return Optional.of(new Action.AdvertDropped(reason, detail));
    }

    /** Numeric order of two addresses of one family, as keepalived's inet_inaddrcmp. */
    static int compareAddresses(InetAddress a, InetAddress b) {
        return Integer.signum(Arrays.compareUnsigned(a.getAddress(), b.getAddress()));
    }
}
