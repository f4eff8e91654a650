package io.nginxha.agent.vrrp;

/** The states of RFC 5798 section 6.4 plus keepalived's FAULT; numbered as keepalived's exporters do. */
public enum VrrpState {
    INIT(0), BACKUP(1), MASTER(2), FAULT(3);

    private final int metricValue;

    VrrpState(int metricValue) {
        this.metricValue = metricValue;
    }

    /** The value of {@code keepalived_vrrp_state} for this state. */
    public int metricValue() {
        return metricValue;
    }
}
