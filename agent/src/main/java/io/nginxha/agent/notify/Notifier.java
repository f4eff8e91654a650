package io.nginxha.agent.notify;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.SyncGroupConfig;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import io.nginxha.agent.vrrp.SyncGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every transition, off the event loop (one daemon thread, so notifications keep their order): the
 * state file, keepalived's notify scripts, and the alert mail. notify_master/backup/fault/stop run as configured;
 * the generic {@code notify} script gets keepalived's arguments appended: {@code INSTANCE NAME STATE PRIORITY}
 * with STATE one of MASTER, BACKUP, FAULT, STOP. A script is only started here; its exit is logged when it comes,
 * so a slow script delays nothing.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    /** Sends the alert mail; {@link Mailer} in production. */
    @FunctionalInterface
    public interface Alerts {
        void send(String instance, String state, int priority, String reason) throws Exception;
    }

    private final StateFile stateFile;
    /** The mail and script settings of global_defs; set on the worker thread only (a reload is queued). */
    private final Function<GlobalConfig, Settings> settingsFor;
    private Settings settings;
    /** Runs the notifications one after the other, in order; a thread of its own in production. */
    private final ExecutorService worker;
    /** Mail goes out on a thread of its own: a slow relay never delays the next notify script. */
    private final AlertMails mails = new AlertMails();
    /** Starts the notify scripts with the settings of now. */
    private final NotifyScripts scripts = new NotifyScripts(() -> settings);
    /** The notify FIFOs; used on the worker thread only, as the fields below. */
    private final NotifyFifos fifos = new NotifyFifos(scripts::startFifoScript);
    /** The config of now, for notify_priority_changes; null for a notifier made without one (tests). */
    private AgentConfig config;
    /** Each instance's last state and priority, written again by fifo_write_vrrp_states_on_reload. */
    private final Map<String, String> lastLines = new LinkedHashMap<>();
    private final Map<String, String> lastGroupLines = new LinkedHashMap<>();
    /** Groups whose state the reload in progress changed: their new state went out as a transition. */
    private final Set<String> groupsMovedByReload = new HashSet<>();

    /** @param stateFile null for none; @param alerts null when no mail is configured (and a reload keeps it) */
    public Notifier(StateFile stateFile, Alerts alerts) {
        this(stateFile, alerts, null, false);
    }

    /**
     * @param scriptUser     script_user: notify scripts run as this user (when the agent is root), as keepalived's do
     * @param scriptSecurity enable_script_security: never run a script that would run as root from a path others
     *                       can write (see {@link io.nginxha.agent.proc.ScriptSecurity})
     */
    public Notifier(StateFile stateFile, Alerts alerts, String scriptUser, boolean scriptSecurity) {
        this(stateFile, g -> new Settings(alerts, scriptUser, scriptSecurity), null);
    }

    /**
     * @param settingsFor the settings a global config asks for; called again by {@link #reload}
     * @param global      the config it is first called with
     */
    Notifier(StateFile stateFile, Function<GlobalConfig, Settings> settingsFor, GlobalConfig global) {
        this(stateFile, settingsFor, global, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notify");
            t.setDaemon(true);
            return t;
        }));
    }

    /** With {@code worker} in place of the notify thread (the whole-agent simulation runs it on its clock). */
    Notifier(StateFile stateFile, Function<GlobalConfig, Settings> settingsFor, GlobalConfig global,
             ExecutorService worker) {
        this.worker = worker;
        this.stateFile = stateFile;
        this.settingsFor = settingsFor;
        this.settings = settingsFor.apply(global);
    }

    /** The production notifier for {@code config}; mails only when an smtp_server and recipients are set. */
    public static Notifier create(AgentConfig config, Path stateFile) {
        var g = config.global();
        Notifier n = new Notifier(stateFile == null ? null : new StateFile(stateFile, g.routerId()),
                Notifier::settings, g);
        n.useConfig(config);
        return n;
    }

    /** Takes {@code config}'s FIFOs (opened before any transition is handled) and notify_priority_changes. */
    void useConfig(AgentConfig config) {
        worker.execute(() -> {
            this.config = config;
            fifos.configure(config.global().fifos());
        });
    }

    /** What global_defs asks of notifications: mail only when an smtp_server and recipients are set. */
    record Settings(Alerts alerts, String scriptUser, boolean scriptSecurity) { }

    static Settings settings(GlobalConfig g) {
        Alerts mail = g.smtpServer() == null || g.notificationEmails().isEmpty() ? null : new Mailer(g)::send;
        return new Settings(mail, g.scriptUser(), g.enableScriptSecurity());
    }

    /**
     * A reload: the mail and script settings of {@code next} apply to transitions handled from now on, and the
     * state file names the new router_id. The notify
     * scripts need nothing here, they come with each transition's instance config.
     */
    public void reload(AgentConfig next) {
        reload(next, Set.of());
    }

    /**
     * As {@link #reload(AgentConfig)}; the FIFOs the new config names are opened (one left unchanged stays open),
     * and with fifo_write_vrrp_states_on_reload every instance the reload kept and every group it did not move gets
     * its state written again (keepalived vrrp_scheduler.c); {@code fresh} instances announce themselves.
     */
    public void reload(AgentConfig next, Set<String> fresh) {
        // queued like the transitions, so those before the reload still go out as configured then
        submit(() -> {
            settings = settingsFor.apply(next.global());
            writeState(f -> f.routerId(next.global().routerId(), Instant.now()));
            config = next;
            fifos.configure(next.global().fifos());
            if (next.global().fifos().statesOnReload()) {
                for (var g : next.syncGroups()) {
                    String line = lastGroupLines.get(g.name());
                    if (line != null && !groupsMovedByReload.contains(g.name())) {
                        writeFifo(line);
                    }
                }
                for (InstanceConfig i : next.instances()) {
                    String line = lastLines.get(i.name());
                    if (line != null && !fresh.contains(i.name())) {
                        writeFifo(line);
                    }
                }
            }
            groupsMovedByReload.clear();
        });
    }

    private interface StateWrite {
        void to(StateFile file) throws IOException;
    }

    /** A state file that cannot be written is logged, never fatal: the transition's scripts and mail still go. */
    private void writeState(StateWrite write) {
        if (stateFile == null) {
            return;
        }
        try {
            write.to(stateFile);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write the state file {}: {}", stateFile.path(), e.toString());
        }
    }

    /** keepalived's word for a state in notify arguments; INIT is only reached by stopping. */
    static String word(VrrpState s) {
        return s == VrrpState.INIT ? "STOP" : s.name();
    }

    /**
     * Makes the notify thread part of the agent's liveness: the watchdog stops being fed when one notification
     * runs longer than {@link #MAX_NOTIFICATION_MS} (the thread is hung: a script is only started and mail goes
     * out elsewhere, so nothing legitimate takes that long), or when the thread died in one.
     */
    public void watchedBy(Liveness liveness) {
        heartbeat = liveness.registerBlocking("notify", MAX_NOTIFICATION_MS);
    }

    /** The longest one notification (state file, starting its scripts, queueing its mail) may take. */
    static final long MAX_NOTIFICATION_MS = 30_000;
    private volatile Liveness.Heartbeat heartbeat;

    /** Queues one notification; it runs on the notify thread, whose liveness it reports. */
    private void submit(Runnable notification) {
        worker.execute(() -> {
            Liveness.Heartbeat beat = heartbeat;
            if (beat != null) {
                beat.trouble("one notification still running");
            }
            try {
                notification.run();
            } catch (RuntimeException e) {
                log.error("a notification failed", e); // the next ones still go out
            } finally {
                if (beat != null) {
                    beat.fine();
                }
            }
        });
    }

    /** Called by the event loop; returns at once. */
    public void transition(InstanceConfig instance, VrrpState from, VrrpState to, int priority, String reason) {
        Instant at = Instant.now();
        submit(() -> handle(instance, to, priority, reason, at));
    }

    private void handle(InstanceConfig ic, VrrpState to, int priority, String reason, Instant at) {
        writeState(f -> f.record(ic.name(), to, priority, at, reason));
        runNotifications(ic.name(), ic.notifications(), to, List.of("INSTANCE", ic.name(), word(to),
                Integer.toString(priority)), priority, reason);
        String line = FifoLines.instance(ic.name(), to, priority);
        lastLines.put(ic.name(), line);
        writeFifo(line);
    }

    /**
     * Called by the event loop when an instance's effective priority changed; returns at once. Written to the
     * FIFOs when its notify_priority_changes (or its group's, or vrrp_notify_priority_changes) is on.
     */
    public void priorityChanged(InstanceConfig instance, VrrpState state, int priority) {
        worker.execute(() -> {
            lastLines.computeIfPresent(instance.name(), (k, v) -> FifoLines.instance(k, state, priority));
            if (config != null && NotifyConfig.priorityChanges(config, instance)) {
                writeFifo(FifoLines.priority(instance.name(), state, priority));
            }
        });
    }

    /**
     * Called by the event loop when a master heard a lower priority's advert; returns at once. As keepalived's
     * send_event_notify: notify_master_rx_lower_pri as written, then the FIFOs' MASTER_RX_LOWER_PRI line.
     */
    public void lowerPriorityMaster(InstanceConfig instance, int priority) {
        worker.execute(() -> {
            NotifyConfig n = instance.notifications();
            scripts.launch(instance.name(), n.masterRxLowerPri(), n.userOf("notify_master_rx_lower_pri"));
            writeFifo(FifoLines.lowerPriorityMaster(instance.name(), priority));
        });
    }

    /**
     * Called by the event loop when a reload removed an instance; returns at once. keepalived 2.2.7
     * (clear_diff_vrrp, send_instance_notifies): with notify_deleted its script, {@code notify ... DELETED} and a
     * DELETED line; without it, as a change to FAULT (notify_fault, {@code notify ... FAULT}), the old way, and
     * nothing at all for an instance that was in FAULT already.
     */
    public void deleted(InstanceConfig instance, VrrpState state, int priority) {
        NotifyConfig n = instance.notifications();
        if (n.deleted() == null) {
            if (state != VrrpState.FAULT) {
                transition(instance, state, VrrpState.FAULT, priority, "removed by a reload");
            }
            return;
        }
        worker.execute(() -> {
            scripts.launch(instance.name(), n.deleted(), n.userOf("notify_deleted"));
            if (!n.any().isEmpty()) {
                List<String> argv = new ArrayList<>(n.any());
                argv.addAll(List.of("INSTANCE", instance.name(), "DELETED", Integer.toString(priority)));
                scripts.launch(instance.name(), argv, n.userOf("notify"));
            }
            if (n.smtpAlert()) {
                mail(instance.name(), "DELETED", priority, "removed by a reload");
            }
            lastLines.remove(instance.name());
            writeFifo(FifoLines.line("INSTANCE", instance.name(), "DELETED", priority));
        });
    }

    /** Lines the FIFOs dropped (a reader slow or gone); counted on the worker, read from any thread. */
    public long fifoDrops() {
        return fifoDrops;
    }

    private volatile long fifoDrops;

    private void writeFifo(String line) {
        fifos.write(line);
        fifoDrops = fifos.dropped();
    }

    /**
     * What keepalived runs for a state change, instance or group alike: the state's own script as written, then
     * {@code notify} with {@code anyArgs} appended, then the alert mail if smtp_alert.
     */
    private void runNotifications(String who, NotifyConfig n, VrrpState to, List<String> anyArgs, int priority,
                           String reason) {
        String key = switch (to) {
            case MASTER -> "notify_master";
            case BACKUP -> "notify_backup";
            case FAULT -> "notify_fault";
            case INIT -> "notify_stop";
        };
        List<String> specific = switch (to) {
            case MASTER -> n.master();
            case BACKUP -> n.backup();
            case FAULT -> n.fault();
            case INIT -> n.stop();
        };
        scripts.launch(who, specific, n.userOf(key));
        if (!n.any().isEmpty()) {
            List<String> argv = new ArrayList<>(n.any());
            argv.addAll(anyArgs);
            scripts.launch(who, argv, n.userOf("notify"));
        }
        if (n.smtpAlert()) {
            mail(who, word(to), priority, reason);
        }
    }

    /** Queues an alert mail with the settings of now; never waits for the relay. */
    private void mail(String who, String state, int priority, String reason) {
        mails.queue(settings.alerts(), who, state, priority, reason);
    }

    /**
     * Called by the event loop when a vrrp_sync_group changes state; returns at once. As keepalived's
     * send_group_notifies: the group's notify_master/backup/fault/stop as written, then its notify with
     * {@code GROUP NAME STATE 0} appended (a group has no priority), then the alert mail if smtp_alert.
     */
    public void groupTransition(SyncGroupConfig group, VrrpState from, VrrpState to, String reason) {
        submit(() -> handleGroup(group, to, reason));
    }

    private void handleGroup(SyncGroupConfig g, VrrpState to, String reason) {
        // A group has no priority: keepalived passes 0.
        runNotifications("sync group " + g.name(), g.notifications(), to, List.of("GROUP", g.name(), word(to), "0"), 0,
                reason);
        String line = FifoLines.group(g.name(), to);
        lastGroupLines.put(g.name(), line);
        if (SyncGroup.RELOADED.equals(reason)) {
            groupsMovedByReload.add(g.name());
        }
        writeFifo(line);
    }

    /** Tests: a shorter bound than {@link NotifyScripts#SCRIPT_TIMEOUT_SEC}. */
    void scriptTimeoutMs(long ms) {
        scripts.scriptTimeoutMs(ms);
    }

    /** Waits a little for queued notifications (the STOP ones at shutdown), then stops the thread. */
    @Override
    public void close() {
        Liveness.Heartbeat beat = heartbeat;
        if (beat != null) {
            beat.ended();
        }
        try {
            worker.execute(fifos::close); // after the STOP lines queued before it
        } catch (RejectedExecutionException e) {
            // closed already
        }
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
            mails.close(2); // after the worker: its last transitions may still queue mail
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
