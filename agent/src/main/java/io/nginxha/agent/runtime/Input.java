package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.status.AgentStatus;
import java.util.concurrent.CompletableFuture;
import io.nginxha.agent.net.PacketTransport.ReceivedPacket;
import io.nginxha.agent.vrrp.Event;

/** What other threads hand to the agent's loop, stamped with the time it happened. */
sealed interface Input {
    long atNanos();

    /** A packet captured by transport number {@code transport}. */
    record Packet(int transport, ReceivedPacket packet, long atNanos) implements Input { }

    /** An event for one instance from outside the loop (checks: priority or fault changes). */
    record ForInstance(String instance, Event event, long atNanos) implements Input { }

    /** An event for every instance, each deciding for itself (an address removed by someone else). */
    record ForEveryInstance(Event event, long atNanos) implements Input { }

    /** SIGTERM / SIGINT. */
    record Stop(long atNanos) implements Input { }

    /** A request from the status endpoint for a copy of the instances' state. */
    record Snapshot(CompletableFuture<AgentStatus> reply, long atNanos) implements Input { }

    /** SIGHUP: a new config, already loaded and validated off the loop. */
    record Reload(AgentConfig config, long atNanos) implements Input { }
}
