package io.nginxha.agent.vrrp;

import java.net.InetAddress;

/**
 * How much of the interval a VRRPv3 master advertises a backup believes. RFC 5798 (6.4.2) has the backup take
 * Master_Adver_Interval from each accepted advert, and keepalived does exactly that: one advert claiming 40.95 s
 * (the field's maximum) makes Master_Down_Interval about two minutes, so a single spoofed advert, or one from a
 * host that then dies, leaves the VIP unserved that long. Here a <b>shorter</b> interval is believed at once (it
 * only makes a takeover faster), and a <b>longer</b> one only as far as that master's adverts have really come
 * that far apart (the gap between its last two accepted adverts, 10% allowed for jitter). A real slow master is
 * believed from its second advert on; a spoofed or lone one changes nothing.
 *
 * <p>The price: a backup configured with a shorter interval than a genuinely slower master may take over once,
 * between that master's first two adverts, and step down at the second. Mismatched intervals are a configuration
 * error anyway (VRRPv2 drops such adverts outright). Pure; the gaps come from the caller's clock.
 */
final class MasterIntervalGuard {
    private static final long NANOS_PER_CS = 10_000_000L;

    private InetAddress lastSource;
    private long lastAt;

    /**
     * An advert from {@code source} claiming {@code claimedCs} was accepted at {@code now}; {@code believedCs} is
     * Master_Adver_Interval before it. Returns Master_Adver_Interval after it.
     */
    int accepted(InetAddress source, int claimedCs, int believedCs, long now) {
        long gapCs = source.equals(lastSource) ? (now - lastAt) / NANOS_PER_CS : 0;
        lastSource = source;
        lastAt = now;
        if (claimedCs <= believedCs) {
            return claimedCs;
        }
        long shown = gapCs + gapCs / 10;
        return (int) Math.min(claimedCs, Math.max(believedCs, shown));
    }
}
