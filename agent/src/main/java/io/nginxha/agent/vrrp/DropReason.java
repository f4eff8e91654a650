package io.nginxha.agent.vrrp;

/**
 * Why a received advert was discarded; each becomes a metrics label. OVERLOAD: turned away before it was decoded,
 * because its source sent more than a router ever does or the loop's queue was full (a flood).
 */
public enum DropReason {
    TRUNCATED, TTL, VERSION, VRID, CHECKSUM, AUTH_TYPE, AUTH_PASSWORD, ADDRESS_COUNT, ADDRESS_LIST,
    INTERVAL, NOT_A_PEER, OWN_ADVERT, OVERLOAD
}
