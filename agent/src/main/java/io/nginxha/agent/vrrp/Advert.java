package io.nginxha.agent.vrrp;

import java.net.InetAddress;
import java.util.List;

/**
 * One VRRP advertisement as it travels on the wire, version 2 (RFC 3768) or 3 (RFC 5798).
 *
 * <p>The interval is kept in centiseconds for both versions so the state machine does one kind of
 * arithmetic; a version 2 advert can only carry whole seconds, which the codec enforces.
 *
 * @param version        2 or 3
 * @param vrid           virtual router id, 1..255
 * @param priority       0 (master resigning) .. 255 (address owner)
 * @param intervalCs     advertisement interval in centiseconds
 * @param addresses      the virtual addresses announced (all IPv4, or all IPv6 for v3)
 * @param authType       v2 only: 0 none, 1 simple password; always 0 for v3
 * @param authData       v2 only: the 8 password bytes (zero padded), empty for v3 or auth type 0
 */
public record Advert(int version, int vrid, int priority, int intervalCs,
                     List<InetAddress> addresses, int authType, byte[] authData) {

    public Advert {
        addresses = List.copyOf(addresses);
        authData = authData == null ? new byte[0] : authData.clone();
    }

    @Override
    public byte[] authData() {
        return authData.clone();
    }
}
