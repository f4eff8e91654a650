package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.Timers.formatSeconds;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One VRRP instance as a pure state machine (RFC 5798 6.4, RFC 3768 6.4, plus keepalived's FAULT).
 * No sockets, threads or clock: the caller passes the time (monotonic nanoseconds) with every event,
 * executes the returned actions, and calls {@link #step} with {@link Event.TimerFired} when
 * {@link #nextDeadline()} is reached.
 *
 * <p>Where the RFCs leave room, it behaves as keepalived 2.2.7 does, so the two can share a VRID.
 */
public final class Instance {
    private static final long NONE = Long.MAX_VALUE;
    private static final int OWNER = 255;
    /** Adverts a master sends as it steps down for a higher priority. */
    static final int STEP_DOWN_ADVERT_COUNT = 3;

    private final InstanceConfig config;
    private final InetAddress self;
    private final AdvertChecks checks;
    private final GarpConfig garp;
    /** A member of a vrrp_sync_group: it never becomes master alone, it asks its group ({@link SyncGroup}). */
    private final boolean synced;

    private VrrpState state = VrrpState.INIT;
    private int basePriority;
    private int effectivePriority;
    private int masterAdverIntervalCs;
    private InetAddress masterAddress;
    private boolean faulty;
    private String faultReason = "";
    private StateChange lastTransition;
    /** keepalived's wantstate MASTER while a sync group holds this backup (its down timer ran out). */
    private boolean wantsMaster;
    /** Its sync group is in FAULT: this member leaves FAULT only when the group says so. */
    private boolean heldInFault;

    // Deadlines in monotonic nanos, NONE when disarmed. Only the ones of the current state are ever armed.
    private final DownTimer down = new DownTimer();
    private long adverDeadline = NONE;
    private final MasterGarps garps;
    private final MasterIntervalGuard intervalGuard = new MasterIntervalGuard();

    // keepalived's preempt_delay: started when a backup first hears a lower-priority master.
    private boolean preemptDelayRunning;
    private long preemptAllowedAt;

    /**
     * @param config         the instance's configuration
     * @param primaryAddress this router's own address on the interface (the advert source, used for tie-breaks)
     */
    public Instance(InstanceConfig config, InetAddress primaryAddress) {
        this(config, primaryAddress, false);
    }

    /** @param synced whether the instance is a member of a vrrp_sync_group */
    public Instance(InstanceConfig config, InetAddress primaryAddress, boolean synced) {
        this.config = config;
        this.self = primaryAddress;
        this.synced = synced;
        this.checks = new AdvertChecks(config, primaryAddress);
        this.garp = config.garp() == null ? GarpConfig.DEFAULTS : config.garp();
        this.garps = new MasterGarps(garp);
        this.basePriority = config.priority();
        this.effectivePriority = config.priority();
        this.masterAdverIntervalCs = config.intervalCs();
    }

    /** Feeds one event at {@code nowNanos}; returns what the edge must do, in order. */
    public List<Action> step(Event event, long nowNanos) {
        List<Action> actions = new ArrayList<>();
        if (event instanceof Event.Startup start) {
            down.holdUntil(start.holdUntilNanos(), nowNanos);
            startup(nowNanos, actions);
        } else if (event instanceof Event.Resume resume) {
            if (resume.asMaster() && state == VrrpState.INIT && !faulty) {
                masterAdverIntervalCs = config.intervalCs();
                becomeMaster(resume.reason(), nowNanos, actions);
            } else {
                startup(nowNanos, actions);
            }
        } else if (event instanceof Event.AdvertReceived received) {
            onAdvert(received.source(), received.advert(), nowNanos, actions);
        } else if (event instanceof Event.TimerFired) {
            onTimer(nowNanos, actions);
        } else if (event instanceof Event.PriorityChanged changed) {
            onPriorityChanged(changed.effectivePriority(), actions);
        } else if (event instanceof Event.FaultChanged fault) {
            onFaultChanged(fault, nowNanos, actions);
        } else if (event instanceof Event.SyncTo sync) {
            SyncedMoves.apply(this, sync, nowNanos, actions);
        } else if (event instanceof Event.VipRemoved removed) {
            VipLoss.apply(this, config, removed, nowNanos, actions);
        } else if (event instanceof Event.Shutdown) {
            shutdown(nowNanos, actions);
        } else {
            throw new AssertionError("no transition for event " + event); // a new Event must be handled here
        }
        return actions;
    }

    /** Monotonic nanos of the next timer, or {@link Long#MAX_VALUE} when none is armed. */
    public long nextDeadline() {
        return Math.min(Math.min(down.deadline(), adverDeadline), garps.nextDeadline());
    }

    public VrrpState state() {
        return state;
    }

    /** The priority this instance advertises: base priority as adjusted by tracking, 1..254, or 255 for an owner. */
    public int effectivePriority() {
        return effectivePriority;
    }

    /** Our own address while master, else the last master heard (empty until one is heard). */
    public Optional<InetAddress> masterAddress() {
        return state == VrrpState.MASTER ? Optional.of(self) : Optional.ofNullable(masterAddress);
    }

    /** The most recent state change, empty before {@link Event.Startup}. */
    public Optional<StateChange> lastTransition() {
        return Optional.ofNullable(lastTransition);
    }

    /** The interval the current master advertises (v3 backups learn it from adverts), in centiseconds. */
    public int masterAdverIntervalCs() {
        return masterAdverIntervalCs;
    }

    /** As its sync group sees it: master, or a backup whose down timer ran out (keepalived's wantstate). */
    public boolean wantsMaster() {
        return state == VrrpState.MASTER || state == VrrpState.BACKUP && wantsMaster;
    }

    /** Whether its own trackers or VIPs put it in fault (not its sync group). */
    public boolean ownFault() {
        return faulty;
    }

    /** Its sync group holds it in FAULT, or lets it go (then the master's interval is forgotten, as leaving FAULT). */
    void syncHold(boolean held) {
        heldInFault = held;
        wantsMaster = false;
        masterAdverIntervalCs = held ? masterAdverIntervalCs : config.intervalCs();
    }

    private void startup(long now, List<Action> actions) {
        if (state != VrrpState.INIT) {
            return;
        }
        masterAdverIntervalCs = config.intervalCs();
        if (faulty || heldInFault) {
            transition(VrrpState.FAULT, "starting in fault: " + (faulty ? faultReason : "its sync group is in fault"),
                    now, actions);
        } else if (startsAsMaster() && synced) {
            // keepalived: an owner in a sync group times out at once (1 us) and then waits for its group.
            enterBackup("startup: address owner in a sync group, asking the group to become master", 0, now,
                    actions);
        } else if (startsAsMaster() && down.deadlineFrom(now) > now) {
            // keepalived: the owner too times out of BACKUP (after 1 us), so vrrp_startup_delay holds it as well
            enterBackup("startup: address owner, waiting for vrrp_startup_delay", 0, now, actions);
        } else if (startsAsMaster()) {
            becomeMaster("address owner (priority 255) starting as master", now, actions);
        } else {
            // keepalived 2.2.7 vrrp_init_state (vrrp_scheduler.c): only the address owner (base priority 255)
            // with state MASTER takes over at once (via a 1 us down timer); "state MASTER" with a lower priority
            // enters BACKUP with the full Master_Down_Interval, exactly like "state BACKUP".
            long down = masterDownNanos();
            String configured = config.initialState() == InstanceConfig.InitialState.MASTER
                    ? "state MASTER but priority " + basePriority + " < 255, " : "";
            enterBackup("startup: " + configured + "waiting " + formatSeconds(down) + " for a master",
                    down, now, actions);
        }
    }

    private boolean startsAsMaster() {
        return basePriority == OWNER && config.initialState() == InstanceConfig.InitialState.MASTER;
    }

    private void onAdvert(InetAddress source, Advert advert, long now, List<Action> actions) {
        // keepalived ignores adverts received in FAULT or before start-up (vrrp_dispatcher_read).
        if (state != VrrpState.BACKUP && state != VrrpState.MASTER) {
            return;
        }
        // keepalived vrrp_state_backup: skip_check_adv_addr spares the adverts of the master already followed
        boolean checkAddresses = !(state == VrrpState.BACKUP && config.options().skipCheckAdvAddr()
                && source.equals(masterAddress));
        Optional<Action.AdvertDropped> drop = checks.check(source, advert, checkAddresses);
        if (drop.isPresent()) {
            actions.add(drop.get());
        } else if (state == VrrpState.BACKUP) {
            onAdvertAsBackup(source, advert, now);
        } else {
            onAdvertAsMaster(source, advert, now, actions);
        }
    }

    /** keepalived 2.2.7 vrrp_state_backup (vrrp.c). */
    private void onAdvertAsBackup(InetAddress source, Advert advert, long now) {
        int priority = advert.priority();
        if (priority == 0) {
            down.masterResigned(source, skewNanos(), now);
            return;
        }
        boolean preemptHeldOff = config.preemptDelaySec() > 0 && (!preemptDelayRunning || preemptAllowedAt > now);
        if (!config.preempt() || priority >= effectivePriority || preemptHeldOff) {
            if (advert.version() == 3) {
                masterAdverIntervalCs = intervalGuard.accepted(source, advert.intervalCs(), masterAdverIntervalCs, now);
            }
            down.arm(masterDownNanos(), now);
            masterAddress = source;
            // keepalived: held in backup by a sync group we wanted MASTER; a master heard means BACKUP again.
            wantsMaster = false;
            if (config.preemptDelaySec() > 0) {
                if (priority >= effectivePriority) {
                    preemptDelayRunning = false;
                } else if (!preemptDelayRunning) {
                    preemptDelayRunning = true;
                    preemptAllowedAt = now + Timers.secondsToNanos(config.preemptDelaySec());
                }
            }
        } else {
            // A lower-priority master: let the down timer run out, then take over.
            masterAddress = source;
            down.ignoredLowerMaster("preempting lower-priority master " + source.getHostAddress() + " (priority "
                    + priority + " < " + effectivePriority + ")");
        }
    }

    /** keepalived 2.2.7 vrrp_state_master_rx (vrrp.c). */
    private void onAdvertAsMaster(InetAddress source, Advert advert, long now, List<Action> actions) {
        int priority = advert.priority();
        if (priority == 0) {
            // Someone resigned: announce ourselves at once so the backups do not elect a new master.
            sendAdvert(now, actions);
            return;
        }
        if (priority == OWNER && effectivePriority == OWNER) {
            // Two address owners is a configuration error; keepalived lowers its own priority to resolve it.
            basePriority = OWNER - 1;
            effectivePriority = OWNER - 1;
        }
        int addressOrder = AdvertChecks.compareAddresses(source, self);
        if (priority < effectivePriority || (priority == effectivePriority && addressOrder < 0)) {
            // A lower router became master (a healed partition): re-announce and refresh the ARP caches
            // so clients stop sending to it (garp_lower_prio_repeat / garp_lower_prio_delay); with
            // lower_prio_no_advert (strict mode) no advert, as the RFCs say, the next one is due anyway.
            actions.add(new Action.LowerPriorityMasterHeard(source, priority));
            if (!config.options().lowerPrioNoAdvert()) {
                sendAdvert(now, actions);
            }
            if (garp.lowerPrioRepeat() > 0) {
                actions.add(new Action.SendGarp(garp.lowerPrioRepeat()));
                garps.lowerPrioAnswered(now);
            }
            return;
        }
        String why = priority > effectivePriority
                ? "higher priority advert from " + source.getHostAddress() + " (" + priority + " > "
                        + effectivePriority + ")"
                : "equal priority " + priority + " advert from higher address " + source.getHostAddress();
        if (advert.version() == 3) {
            masterAdverIntervalCs = intervalGuard.accepted(source, advert.intervalCs(), masterAdverIntervalCs, now);
        }
        masterAddress = source;
        // Our adverts on the way out: after a split brain the master that stays may never have heard us (its
        // advert reached us first), and only a lower-priority advert makes it send gratuitous ARP; without it
        // clients whose ARP caches we took keep sending to us (keepalived issue 166; keepalived's
        // higher_prio_send_advert, off there by default, always on here). Several, since on a lossy link losing
        // the only one would leave those clients blackholed until their ARP entries expire (FaultsIT saw it).
        // Strict mode clears it (keepalived: higher_prio_send_advert must be off there).
        for (int i = 0; config.options().higherPrioSendAdvert() && i < STEP_DOWN_ADVERT_COUNT; i++) {
            actions.add(new Action.SendAdvert(effectivePriority));
        }
        actions.add(new Action.RemoveVips());
        enterBackup(why, masterDownNanos(), now, actions);
    }

    private void onTimer(long now, List<Action> actions) {
        if (state == VrrpState.BACKUP && down.due(now)) {
            if (synced) {
                // keepalived vrrp_sync_can_goto_master: the group decides; meanwhile wait another full interval.
                wantsMaster = true;
                String why = down.reason(now);
                down.arm(masterDownNanos(), now);
                actions.add(new Action.MasterWanted(why));
            } else {
                becomeMaster(down.reason(now), now, actions);
            }
            return;
        }
        if (state != VrrpState.MASTER) {
            return;
        }
        if (adverDeadline <= now) {
            sendAdvert(now, actions);
        }
        int burst = garps.due(now);
        if (burst > 0) {
            actions.add(new Action.SendGarp(burst));
        }
    }

    /** keepalived 2.2.7 vrrp_set_effective_priority (vrrp_track.c): the owner is never adjusted. */
    private void onPriorityChanged(int requested, List<Action> actions) {
        if (basePriority == OWNER) {
            return;
        }
        int priority = Math.max(1, Math.min(OWNER - 1, requested));
        if (priority == effectivePriority) {
            return;
        }
        long oldSkew = skewNanos();
        actions.add(new Action.PriorityChanged(effectivePriority, priority));
        effectivePriority = priority;
        if (state == VrrpState.BACKUP) {
            // Keep the time already waited; only the skew part of the down timer changes.
            down.shift(skewNanos() - oldSkew);
        }
    }

    private void onFaultChanged(Event.FaultChanged fault, long now, List<Action> actions) {
        faulty = fault.faulty();
        faultReason = fault.reason();
        if (faulty) {
            if (state == VrrpState.MASTER) {
                // keepalived vrrp_state_leave_master with wantstate FAULT: resign so a backup takes over fast.
                actions.add(new Action.SendAdvert(0));
                actions.add(new Action.RemoveVips());
            }
            if (state == VrrpState.MASTER || state == VrrpState.BACKUP) {
                disarmAll();
                transition(VrrpState.FAULT, "fault: " + fault.reason(), now, actions);
            }
        } else if (state == VrrpState.FAULT && !heldInFault) {
            // keepalived try_up_instance / vrrp_state_leave_fault: the owner goes straight to master.
            masterAdverIntervalCs = config.intervalCs();
            if (startsAsMaster()) {
                becomeMaster("fault cleared: " + fault.reason(), now, actions);
            } else {
                enterBackup("fault cleared: " + fault.reason(), masterDownNanos(), now, actions);
            }
        }
    }

    private void shutdown(long now, List<Action> actions) {
        if (state == VrrpState.INIT) {
            return;
        }
        if (state == VrrpState.MASTER) {
            actions.add(new Action.SendAdvert(0));
            actions.add(new Action.RemoveVips());
        }
        disarmAll();
        transition(VrrpState.INIT, "shutdown", now, actions);
    }

    /**
     * The VIPs and the gratuitous ARPs go out before the advert. When this router preempts a live master, the
     * advert makes the old master drop the VIPs at once, while clients keep sending to the old master's MAC until
     * our gratuitous ARP reaches them: sending it first leaves no such gap (measured: one lost request in three
     * preemptions, with the advert first). Both routers hold the VIPs for that moment, which costs nothing.
     */
    void becomeMaster(String reason, long now, List<Action> actions) {
        disarmAll();
        masterAdverIntervalCs = config.intervalCs();
        actions.add(new Action.AddVips());
        actions.add(new Action.SendGarp(garp.masterRepeat()));
        sendAdvert(now, actions);
        garps.becameMaster(now);
        masterAddress = self;
        transition(VrrpState.MASTER, reason, now, actions);
    }

    void enterBackup(String reason, long downNanos, long now, List<Action> actions) {
        disarmAll();
        wantsMaster = false;
        down.arm(downNanos, now);
        transition(VrrpState.BACKUP, reason, now, actions);
    }

    private void sendAdvert(long now, List<Action> actions) {
        actions.add(new Action.SendAdvert(effectivePriority));
        adverDeadline = now + Timers.centisToNanos(config.intervalCs());
    }

    void transition(VrrpState to, String reason, long now, List<Action> actions) {
        lastTransition = new StateChange(state, to, reason, now);
        actions.add(new Action.Transition(state, to, reason));
        state = to;
    }

    void disarmAll() {
        down.disarm();
        adverDeadline = NONE;
        garps.disarm();
        // keepalived clears preempt_time whenever it enters BACKUP or leaves FAULT.
        preemptDelayRunning = false;
    }

    long skewNanos() {
        return Timers.skewNanos(config.version(), effectivePriority, masterAdverIntervalCs);
    }

    long masterDownNanos() {
        return Timers.masterDownNanos(config.version(), effectivePriority, masterAdverIntervalCs);
    }
}
