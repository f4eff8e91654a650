package io.nginxha.agent.check;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.AnnounceConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.TrackFileConfig;
import io.nginxha.agent.config.TrackProcessConfig;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.status.CheckReporter;
import io.nginxha.agent.vrrp.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the checks the instances track (vrrp_scripts, nginx trackers, interfaces, track files), one thread each,
 * and turns their changes into {@link Event.PriorityChanged} / {@link Event.FaultChanged} for the agent's loop
 * through {@code inject}, and tells each vip_announce group (by its name, like an instance) a FaultChanged when its
 * health changes. Each check runs once even when several instances track it. On a reload, a check whose
 * settings did not change keeps running with its state; the others are stopped, replaced or started.
 */
public final class Trackers implements AutoCloseable, CheckReporter {
    private static final Logger log = LoggerFactory.getLogger(Trackers.class);

    /** Makes the check named {@code name} of {@code config}; {@code reloading} is true after the first start. */
    @FunctionalInterface
    public interface Factory {
        Check make(AgentConfig config, String name, boolean reloading);
    }

    private final Map<String, Check> checks = new LinkedHashMap<>();
    /** The settings each check was made from, to tell on a reload whether it changed. */
    private final Map<String, Object> settings = new HashMap<>();
    private final Map<String, Long> values = new HashMap<>();
    private final Map<String, TrackBook> books = new LinkedHashMap<>();
    private final Map<String, TrackBook.Verdict> told = new HashMap<>();
    /**
     * Announce groups not told a verdict yet: the first one is told even when it says "healthy" or "unhealthy" as
     * believed, since a group starts undecided (it holds nothing until told healthy, and releases what a killed
     * agent left when told unhealthy).
     */
    private final Set<String> untold = new HashSet<>();
    private final BiConsumer<String, Event> inject;
    private final Factory factory;
    private final Map<String, CheckResult> results = new ConcurrentHashMap<>();
    private boolean started;
    /** The agent's liveness, which watches each check's thread; null when none is watched. */
    private Liveness liveness;
    private final Map<String, Liveness.Heartbeat> heartbeats = new HashMap<>();

    /** The production checks for {@code config}; {@code inject} is {@code agent::inject}. */
    public static Trackers create(AgentConfig config, BiConsumer<String, Event> inject) {
        return create(config, inject, name -> ProcessTracker.Heartbeat.NONE);
    }

    /**
     * As {@link #create(AgentConfig, BiConsumer)}, with {@code heartbeats} giving each polling tracker thread (the
     * process trackers) its heartbeat in the agent's liveness, by check name.
     */
    public static Trackers create(AgentConfig config, BiConsumer<String, Event> inject,
                                  Function<String, ProcessTracker.Heartbeat> heartbeats) {
        return new Trackers(config, inject, (c, name, reloading) -> {
            Check check = production(c, name, reloading);
            if (check instanceof ProcessTracker p) {
                p.watchedBy(heartbeats.apply(name));
            }
            return check;
        });
    }

    private static Check production(AgentConfig config, String name, boolean reloading) {
        if (name.startsWith(InterfaceTracker.PREFIX)) {
            return new InterfaceTracker(name.substring(InterfaceTracker.PREFIX.length()));
        }
        if (name.startsWith(ProcessTracker.PREFIX)) {
            return new ProcessTracker(config.trackProcesses().get(name.substring(ProcessTracker.PREFIX.length())));
        }
        if (name.startsWith(FileTracker.PREFIX)) {
            return new FileTracker(config.trackFiles().get(name.substring(FileTracker.PREFIX.length())), !reloading);
        }
        ScriptConfig s = config.scripts().get(name);
        if (s != null) {
            return new ScriptTracker(s, config.global().scriptUser(), config.global().enableScriptSecurity());
        }
        NginxCheckConfig n = config.nginxChecks().get(name);
        if (n != null) {
            return NginxTracker.create(n);
        }
        throw new IllegalArgumentException("no check named " + name);
    }

    Trackers(AgentConfig config, BiConsumer<String, Event> inject, Factory factory) {
        this.inject = inject;
        this.factory = factory;
        Map<String, List<TrackBook.Term>> terms = terms(config);
        for (String check : needed(terms)) {
            add(config, check);
        }
        terms.forEach((instance, list) -> books.put(instance, book(config, instance, list)));
        config.instances().forEach(ic -> told.put(ic.name(), untouched(ic)));
        config.announce().forEach(g -> {
            told.put(g.name(), UNTOLD_GROUP);
            untold.add(g.name());
        });
    }

    /** Each instance's terms, in config order. */
    private static Map<String, List<TrackBook.Term>> terms(AgentConfig config) {
        Map<String, List<TrackBook.Term>> out = new LinkedHashMap<>();
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
            for (InstanceConfig.Tracked t : ic.trackFiles()) {
                TrackFileConfig f = config.trackFiles().get(t.name());
                terms.add(new TrackBook.Term(FileTracker.checkName(t.name()),
                        t.weight() != null ? t.weight() : f.weight(), t.reverse() || f.weightReverse(), true));
            }
            for (InstanceConfig.Tracked t : ic.trackProcesses()) {
                TrackProcessConfig p = config.trackProcesses().get(t.name());
                terms.add(new TrackBook.Term(ProcessTracker.checkName(t.name()),
                        t.weight() != null ? t.weight() : p.weight(), t.reverse() || p.weightReverse()));
            }
            out.put(ic.name(), terms);
        }
        for (AnnounceConfig g : config.announce()) {
            // no priority to lower: every term has weight 0, so any check down makes the group unhealthy
            List<TrackBook.Term> terms = new ArrayList<>();
            g.trackScripts().forEach(t -> terms.add(new TrackBook.Term(t.name(), 0, false)));
            g.trackInterfaces().forEach(t -> terms.add(new TrackBook.Term(InterfaceTracker.checkName(t.name()), 0,
                    false)));
            out.put(g.name(), terms);
        }
        return out;
    }

    private static Set<String> needed(Map<String, List<TrackBook.Term>> terms) {
        Set<String> out = new LinkedHashSet<>();
        terms.values().forEach(list -> list.forEach(t -> out.add(t.check())));
        return out;
    }

    /** What a check is made from: equal settings make an equal check, wherever they were written. */
    private static Object settingsOf(AgentConfig config, String check) {
        ScriptConfig s = config.scripts().get(check);
        NginxCheckConfig n = config.nginxChecks().get(check);
        TrackFileConfig f = check.startsWith(FileTracker.PREFIX)
                ? config.trackFiles().get(check.substring(FileTracker.PREFIX.length())) : null;
        TrackProcessConfig p = check.startsWith(ProcessTracker.PREFIX)
                ? config.trackProcesses().get(check.substring(ProcessTracker.PREFIX.length())) : null;
        return s != null ? List.of(s.withoutSource(), Objects.toString(config.global().scriptUser()))
                : n != null ? n.withoutSource() : f != null ? f.withoutSource() : p != null ? p.withoutSource() : check;
    }

    private Check add(AgentConfig config, String name) {
        Check c = factory.make(config, name, started);
        checks.put(name, c);
        settings.put(name, settingsOf(config, name));
        values.put(name, c.initialValue());
        results.put(name, new CheckResult(c.initiallyUp(), 0, 0, System.currentTimeMillis()));
        return c;
    }

    private TrackBook book(AgentConfig config, String instance, List<TrackBook.Term> terms) {
        int priority = config.instances().stream().filter(ic -> ic.name().equals(instance)).findFirst()
                .map(InstanceConfig::priority).orElse(ANNOUNCE_PRIORITY); // else an announce group
        Map<String, Long> now = new HashMap<>();
        terms.forEach(t -> now.put(t.check(), values.get(t.check())));
        return TrackBook.withValues(priority, terms, now);
    }

    /** An announce group has no priority; this one only fills the verdict. */
    private static final int ANNOUNCE_PRIORITY = 100;
    /** A fresh announce group believes nothing: its first verdict is told whatever it is (see {@link #untold}). */
    private static final TrackBook.Verdict UNTOLD_GROUP = new TrackBook.Verdict(ANNOUNCE_PRIORITY, false, List.of());

    /** What a freshly made instance believes: its configured priority, no fault. */
    private static TrackBook.Verdict untouched(InstanceConfig ic) {
        return new TrackBook.Verdict(ic.priority(), false, List.of());
    }

    /** Tells each instance its initial verdict (when it differs from the config), then starts the checks. */
    public synchronized void start() {
        books.keySet().forEach(name -> tell(name, "initial check status"));
        checks.values().forEach(this::startCheck);
        started = true;
        if (!checks.isEmpty()) {
            log.info("tracking {} check(s): {}", checks.size(), String.join(", ", checks.keySet()));
        }
    }

    /**
     * Makes each check's thread part of the agent's liveness (call before {@link #start}): the watchdog stops
     * being fed when one dies, or goes silent past its {@link Check#maxSilenceMs}, since its verdict is then frozen.
     */
    public synchronized void watchedBy(Liveness liveness) {
        this.liveness = liveness;
    }

    private void startCheck(Check check) {
        long silence = check.maxSilenceMs();
        Liveness.Heartbeat beat = liveness == null || silence < 0 ? null
                : silence == 0 ? liveness.registerBlocking("check " + check.name(), Long.MAX_VALUE / 2_000_000)
                : liveness.register("check " + check.name(), silence);
        if (beat != null) {
            heartbeats.put(check.name(), beat);
        }
        check.start(new Check.Sink() {
            public void alive() {
                if (beat != null) {
                    beat.beat();
                }
            }

            public void status(String name, boolean up, String why) {
                Trackers.this.changed(check, up ? 1 : 0, why);
            }

            public void value(String name, long value, String why) {
                Trackers.this.changed(check, value, why);
            }

            public void ran(String name, int exitCode, double durationSec) {
                synchronized (Trackers.this) {
                    if (checks.get(name) == check) { // not a replaced check's last run
                        CheckResult before = results.get(name);
                        results.put(name, new CheckResult(before.up(), exitCode, durationSec,
                                System.currentTimeMillis()));
                    }
                }
            }
        });
    }

    /**
     * Applies a reloaded config, on the agent's loop after its instances were reloaded: unchanged checks keep
     * running, changed ones are replaced (starting afresh), removed ones stopped, new ones started; then every
     * instance is told what differs from what it believes. {@code fresh} names the instances the reload made
     * anew, which believe their configured priority; the others keep what they were told.
     */
    public synchronized void reload(AgentConfig next, Set<String> fresh) {
        Map<String, List<TrackBook.Term>> terms = terms(next);
        Set<String> needed = needed(terms);
        List<String> stopped = new ArrayList<>();
        for (String name : List.copyOf(checks.keySet())) {
            if (!needed.contains(name) || !settings.get(name).equals(settingsOf(next, name))) {
                checks.remove(name).close();
                unwatch(name);
                settings.remove(name);
                values.remove(name);
                results.remove(name);
                stopped.add(name);
            }
        }
        List<String> made = new ArrayList<>();
        for (String name : needed) {
            if (!checks.containsKey(name)) {
                startCheck(add(next, name));
                made.add(name);
            }
        }
        books.clear();
        terms.forEach((instance, list) -> books.put(instance, book(next, instance, list)));
        told.keySet().retainAll(books.keySet());
        for (InstanceConfig ic : next.instances()) {
            if (fresh.contains(ic.name()) || !told.containsKey(ic.name())) {
                told.put(ic.name(), untouched(ic));
            }
        }
        for (AnnounceConfig g : next.announce()) {
            if (told.putIfAbsent(g.name(), UNTOLD_GROUP) == null) {
                untold.add(g.name());
            }
        }
        books.keySet().forEach(name -> tell(name, "reload"));
        log.info("reload: checks stopped {}, started {}, {} kept running", stopped, made,
                checks.size() - made.size());
    }

    /** A check changed; every instance tracking it is told its new priority or fault. */
    synchronized void status(String check, boolean up, String why) {
        Check c = checks.get(check);
        if (c != null) {
            changed(c, up ? 1 : 0, why);
        }
    }

    private synchronized void changed(Check check, long value, String why) {
        String name = check.name();
        if (checks.get(name) != check) {
            return; // stopped or replaced by a reload; its thread had one more word
        }
        boolean up = check.valued() ? value == 0 : value != 0;
        String what = check.valued() ? "= " + value : up ? "up" : "down";
        log.info("check {} is {}: {}", name, check.valued() ? value : what, why);
        values.put(name, value);
        CheckResult before = results.get(name);
        results.put(name, new CheckResult(up, check.valued() ? (int) value : before.lastExitCode(),
                before.lastDurationSec(), check.valued() ? System.currentTimeMillis() : before.lastRunEpochMs()));
        books.forEach((instance, book) -> {
            if (book.update(name, value)) {
                tell(instance, name + " " + what + " (" + why + ")");
            }
        });
    }

    private void tell(String instance, String reason) {
        TrackBook.Verdict now = books.get(instance).verdict();
        TrackBook.Verdict before = told.put(instance, now);
        if (untold.remove(instance)) {
            inject.accept(instance, new Event.FaultChanged(now.faulty(), now.faulty()
                    ? reason + ": down " + now.downChecks() : reason));
            return;
        }
        if (now.effectivePriority() != before.effectivePriority()) {
            inject.accept(instance, new Event.PriorityChanged(now.effectivePriority(), reason));
        }
        if (now.faulty() != before.faulty()) {
            inject.accept(instance, new Event.FaultChanged(now.faulty(), reason));
        }
    }

    /**
     * Latest result per check (scripts, nginx trackers, interfaces as "interface:IF", track files as "file:NAME"
     * with the value read as the exit code), for the status endpoint.
     */
    @Override
    public Map<String, CheckResult> results() {
        return Map.copyOf(results);
    }

    /** The checks by name. */
    public synchronized Map<String, Check> checks() {
        return Map.copyOf(checks);
    }

    @Override
    public synchronized void close() {
        checks.values().forEach(Check::close);
        List.copyOf(heartbeats.keySet()).forEach(this::unwatch);
    }

    /** A check stopped on purpose: its thread is no longer watched. */
    private void unwatch(String check) {
        Liveness.Heartbeat beat = heartbeats.remove(check);
        if (beat != null) {
            beat.ended();
        }
    }
}
