package io.nginxha.agent.vrrp;

/** Why a received advert was discarded; each becomes a metrics label. */
public enum DropReason {
    TRUNCATED, TTL, VERSION, VRID, CHECKSUM, AUTH_TYPE, AUTH_PASSWORD, ADDRESS_COUNT, ADDRESS_LIST,
    INTERVAL, NOT_A_PEER, OWN_ADVERT
}
