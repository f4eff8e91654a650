package io.nginxha.agent.vrrp;

/**
 * The last state change of an instance, kept for status pages.
 *
 * @param from     state left
 * @param to       state entered
 * @param reason   why, in words an operator reads in the log
 * @param atNanos  monotonic nanoseconds of the change (the time passed with the event)
 */
public record StateChange(VrrpState from, VrrpState to, String reason, long atNanos) { }
