package io.nginxha.agent.check;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.status.CheckReporter;
import io.nginxha.agent.vrrp.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the checks the instances track (vrrp_scripts, nginx trackers, interfaces), one thread each, and turns
 * their status changes into {@link Event.PriorityChanged} / {@link Event.FaultChanged} for the agent's loop
 * through {@code inject}. Each check runs once even when several instances track it.
 */
public final class Trackers implements AutoCloseable, CheckReporter {
    private static final Logger log = LoggerFactory.getLogger(Trackers.class);

    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final Map<String, TrackBook> books = new LinkedHashMap<>();
    private final Map<String, TrackBook.Verdict> told = new HashMap<>();
    private final BiConsumer<String, Event> inject;
    private final Map<String, CheckResult> results = new java.util.concurrent.ConcurrentHashMap<>();

    /** The production checks for {@code config}; {@code inject} is {@code agent::inject}. */
    public static Trackers create(AgentConfig config, BiConsumer<String, Event> inject) {
        return new Trackers(config, inject, name -> {
            ScriptConfig s = config.scripts().get(name);
            if (s != null) {
                return new ScriptTracker(s, config.global().scriptUser(), config.global().enableScriptSecurity());
            }
            NginxCheckConfig n = config.nginxChecks().get(name);
            if (n != null) {
                return NginxTracker.create(n);
            }
            if (name.startsWith(InterfaceTracker.PREFIX)) {
                return new InterfaceTracker(name.substring(InterfaceTracker.PREFIX.length()));
            }
            throw new IllegalArgumentException("no check named " + name);
        });
    }

    Trackers(AgentConfig config, BiConsumer<String, Event> inject, Function<String, Check> factory) {
        this.inject = inject;
        for (InstanceConfig ic : config.instances()) {
            List<TrackBook.Term> terms = new ArrayList<>();
            for (InstanceConfig.Tracked t : ic.trackScripts()) {
                ScriptConfig s = config.scripts().get(t.name());
                NginxCheckConfig n = config.nginxChecks().get(t.name());
                int own = s != null ? s.weight() : n != null ? n.weight() : 0;
                boolean reverse = t.reverse() || s != null && s.weightReverse();
                terms.add(new TrackBook.Term(t.name(), t.weight() != null ? t.weight() : own, reverse));
            }
            for (InstanceConfig.Tracked t : ic.trackInterfaces()) {
                terms.add(new TrackBook.Term(InterfaceTracker.checkName(t.name()),
                        t.weight() != null ? t.weight() : 0, t.reverse()));
            }
            if (!ic.dontTrackPrimary() && ic.trackInterfaces().stream().noneMatch(t -> t.name().equals(ic.iface()))) {
                // keepalived tracks the instance's own interface: no link, no VRRP
                terms.add(new TrackBook.Term(InterfaceTracker.checkName(ic.iface()), 0, false));
            }
            if (!ic.trackFiles().isEmpty()) {
                log.warn("{}: track_file is not supported yet and is ignored", ic.name());
            }
            Map<String, Boolean> initially = new HashMap<>();
            for (TrackBook.Term term : terms) {
                Check c = checks.computeIfAbsent(term.check(), factory);
                initially.put(term.check(), c.initiallyUp());
            }
            TrackBook book = new TrackBook(ic.priority(), terms, initially);
            books.put(ic.name(), book);
            told.put(ic.name(), new TrackBook.Verdict(ic.priority(), false, List.of()));
        }
    }

    /** Tells each instance its initial verdict (when it differs from the config), then starts the checks. */
    public void start() {
        synchronized (this) {
            books.keySet().forEach(name -> tell(name, "initial check status"));
        }
        Check.Sink sink = new Check.Sink() {
            public void status(String check, boolean up, String why) {
                Trackers.this.status(check, up, why);
            }

            public void ran(String check, int exitCode, double durationSec) {
                CheckResult before = results.get(check);
                boolean up = before != null ? before.up() : checks.get(check).initiallyUp();
                results.put(check, new CheckResult(up, exitCode, durationSec, System.currentTimeMillis()));
            }
        };
        for (Check c : checks.values()) {
            results.put(c.name(), new CheckResult(c.initiallyUp(), 0, 0, System.currentTimeMillis()));
            c.start(sink);
        }
        if (!checks.isEmpty()) {
            log.info("tracking {} check(s): {}", checks.size(), String.join(", ", checks.keySet()));
        }
    }

    /** A check changed; every instance tracking it is told its new priority or fault. */
    synchronized void status(String check, boolean up, String why) {
        log.info("check {} is {}: {}", check, up ? "up" : "down", why);
        CheckResult before = results.get(check);
        results.put(check, before == null ? new CheckResult(up, up ? 0 : 1, 0, System.currentTimeMillis())
                : new CheckResult(up, before.lastExitCode(), before.lastDurationSec(), before.lastRunEpochMs()));
        books.forEach((instance, book) -> {
            if (book.update(check, up)) {
                tell(instance, check + (up ? " up" : " down") + " (" + why + ")");
            }
        });
    }

    private void tell(String instance, String reason) {
        TrackBook.Verdict now = books.get(instance).verdict();
        TrackBook.Verdict before = told.put(instance, now);
        if (now.effectivePriority() != before.effectivePriority()) {
            inject.accept(instance, new Event.PriorityChanged(now.effectivePriority(), reason));
        }
        if (now.faulty() != before.faulty()) {
            inject.accept(instance, new Event.FaultChanged(now.faulty(), reason));
        }
    }

    /** Latest result per check (scripts, nginx trackers, interfaces as "interface:IF"), for the status endpoint. */
    @Override
    public Map<String, CheckResult> results() {
        return Map.copyOf(results);
    }

    /** The checks by name. */
    public Map<String, Check> checks() {
        return Map.copyOf(checks);
    }

    @Override
    public void close() {
        checks.values().forEach(Check::close);
    }
}
