package io.nginxha.agent.config;

import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.InstanceConfig.Tracked;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one {@link InstanceConfig} from a vrrp_instance block: keepalived 2.2.7's defaults, and the checks that
 * concern one instance alone (cross-instance checks are in {@link Validator}).
 */
final class InstanceBuilder {
    private static final long SECOND_US = 1_000_000L;

    private final Values values;
    private final Problems problems;
    private final AddressParser addresses;
    private final GlobalConfig global;

    private String name;
    private InitialState state;
    private String iface;
    private Integer vrid;
    private Integer priority;
    private Entry advertInt;
    private long advertUs = SECOND_US;
    private Integer version;
    private Entry authType;
    private Entry authPassEntry;
    private String authPass;
    private final List<VirtualAddress> vips = new ArrayList<>();
    private final List<VirtualAddress> excluded = new ArrayList<>();
    private Entry nopreempt;
    private Entry preemptDelay;
    private int preemptDelaySec;
    private InetAddress unicastSrc;
    private Entry unicastSrcEntry;
    private final List<InetAddress> peers = new ArrayList<>();
    private Entry peersEntry;
    private final List<Tracked> trackScripts = new ArrayList<>();
    private final List<Tracked> trackInterfaces = new ArrayList<>();
    private final List<Tracked> trackFiles = new ArrayList<>();
    private final List<Tracked> trackProcesses = new ArrayList<>();
    /** notify_master, _backup, _fault, _stop, notify, notify_master_rx_lower_pri, notify_deleted's script. */
    private final List<List<String>> notify = new ArrayList<>(List.of(List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of()));
    private List<String> deleted;
    private boolean smtpAlert;
    private Boolean priorityChanges;
    private final java.util.Map<String, String> notifyUsers = new java.util.HashMap<>();
    private GarpBuilder garp;
    private boolean dontTrackPrimary;
    private Entry nativeIpv6;
    private final List<RouteConfig> virtualRoutes = new ArrayList<>();
    private final List<RuleConfig> virtualRules = new ArrayList<>();
    private final RuleParser ruleParser;
    private VmacBuilder vmac;
    private SwitchesReader switches;

    InstanceBuilder(Values values, GlobalConfig global, String defaultInterface) {
        this(values, global, defaultInterface, new RuleParser(values));
    }

    /** {@code rules} is shared by the whole file: keepalived numbers rules without a priority across it. */
    InstanceBuilder(Values values, GlobalConfig global, String defaultInterface, RuleParser rules) {
        this.ruleParser = rules;
        this.iface = defaultInterface;
        this.values = values;
        this.problems = values.problems();
        this.addresses = new AddressParser(values);
        this.global = global;
    }

    InstanceConfig build(String instanceName, List<Entry> entries, Source at) {
        name = instanceName;
        garp = new GarpBuilder(values, global.garp());
        vmac = new VmacBuilder(values);
        switches = new SwitchesReader(values);
        for (Entry e : entries) {
            if (!switches.read(e) && !vmac.read(e)) {
                read(e);
            }
        }
        return finish(at);
    }

    private void read(Entry e) {
        switch (e.key()) {
            case "state" -> {
                String v = values.single(e);
                if (v != null) {
                    if (v.equals("MASTER") || v.equals("BACKUP")) {
                        state = InitialState.valueOf(v);
                    } else {
                        problems.error(e.source(), "state must be MASTER or BACKUP, got '" + v + "'");
                    }
                }
            }
            case "interface" -> iface = GlobalBuilder.orElse(values.single(e), iface);
            case "virtual_router_id" -> vrid = GlobalBuilder.orElse(values.integer(e, 1, 255), vrid);
            case "priority" -> priority = GlobalBuilder.orElse(values.integer(e, 1, 255), priority);
            case "advert_int" -> {
                Long us = values.seconds(e, 10_000L, 255 * SECOND_US);
                if (us != null) {
                    advertUs = us;
                    advertInt = e;
                }
            }
            case "version" -> version = GlobalBuilder.orElse(values.integer(e, 2, 3), version);
            case "authentication" -> authentication(e);
            case "virtual_ipaddress" -> vips.addAll(addresses.vips(e, "virtual_ipaddress"));
            case "virtual_ipaddress_excluded" -> excluded.addAll(addresses.vips(e, "virtual_ipaddress_excluded"));
            case "virtual_routes" -> virtualRoutes.addAll(new RouteParser(values).routes(e));
            case "virtual_rules" -> virtualRules.addAll(ruleParser.rules(e));
            case "nopreempt" -> {
                // keepalived ignores any words after it
                if (!e.args().isEmpty()) {
                    problems.warn(e.source(), "nopreempt takes no value; '" + String.join(" ", e.args())
                            + "' is ignored, as keepalived does");
                }
                nopreempt = e;
            }
            case "preempt" -> nopreempt = values.noValue(e) ? null : nopreempt;
            case "preempt_delay" -> {
                Long us = values.seconds(e, 0, 1000 * SECOND_US);
                if (us != null && us % SECOND_US != 0) {
                    problems.error(e.source(), "preempt_delay must be whole seconds 0..1000 in vrrp-agent, got '"
                            + e.arg() + "'");
                } else if (us != null) {
                    preemptDelaySec = (int) (us / SECOND_US);
                    preemptDelay = preemptDelaySec > 0 ? e : null;
                }
            }
            // keepalived: the same source address as unicast_src_ip, for multicast adverts too
            case "unicast_src_ip", "mcast_src_ip" -> {
                String v = values.single(e);
                InetAddress a = v == null ? null : values.address(e, "unicast_src_ip", v);
                if (a != null) {
                    unicastSrc = a;
                    unicastSrcEntry = e;
                }
            }
            case "unicast_peer" -> {
                peers.addAll(addresses.peers(e));
                peersEntry = e;
            }
            case "track_script" -> trackScripts.addAll(values.tracked(e, 253));
            case "track_interface" -> trackInterfaces.addAll(values.tracked(e, 254));
            case "track_file" -> trackFiles.addAll(values.tracked(e, 254));
            case "track_process" -> trackProcesses.addAll(values.tracked(e, 254));
            case "notify_master" -> notifyScript(e, 0);
            case "notify_backup" -> notifyScript(e, 1);
            case "notify_fault" -> notifyScript(e, 2);
            case "notify_stop" -> notifyScript(e, 3);
            case "notify" -> notifyScript(e, 4);
            case "notify_master_rx_lower_pri" -> notifyScript(e, 5);
            case "notify_deleted" -> {
                if (deleted != null) {
                    problems.warn(e.source(), "notify_deleted is already set in vrrp_instance " + name + "; this one "
                            + "is ignored, as keepalived does");
                } else if (e.args().isEmpty()) {
                    deleted = List.of();
                } else {
                    notifyScript(e, 6);
                    deleted = notify.get(6);
                }
            }
            case "smtp_alert" -> smtpAlert = GlobalBuilder.orElse(values.bool(e), smtpAlert);
            case "notify_priority_changes" -> priorityChanges = GlobalBuilder.orElse(values.bool(e), priorityChanges);
            case "higher_prio_send_advert" -> values.alwaysOn(e, GlobalBuilder.HIGHER_PRIO_SEND_ADVERT_BEHAVIOUR);
            case "dont_track_primary" -> dontTrackPrimary = values.noValue(e) || dontTrackPrimary;
            case "native_ipv6" -> nativeIpv6 = values.noValue(e) ? e : nativeIpv6;
            // the agent always drops unicast adverts from sources that are not peers (AdvertIntake)
            case "check_unicast_src" -> values.noValue(e);
            case "debug" -> {
                if (e.args().size() > 1 || e.arg() != null && values.integer(e, 0, 4) == null) {
                    return;
                }
                Keywords.report(Keywords.Section.INSTANCE, e, "vrrp_instance " + name, problems);
            }
            default -> {
                if (e.key().startsWith("garp_") && Keywords.isImplemented(Keywords.Section.INSTANCE, e.key())) {
                    garp.set(e, e.key());
                } else {
                    Keywords.report(Keywords.Section.INSTANCE, e, "vrrp_instance " + name, problems);
                }
            }
        }
    }

    private void authentication(Entry block) {
        List<Entry> lines = values.block(block);
        for (Entry e : lines == null ? List.<Entry>of() : lines) {
            switch (e.key()) {
                case "auth_type" -> {
                    String v = values.single(e);
                    if ("AH".equals(v)) {
                        problems.error(e.source(), "auth_type AH is not supported by vrrp-agent (use PASS or none)");
                    } else if (v != null && !v.equals("PASS")) {
                        problems.error(e.source(), "auth_type must be PASS or AH, got '" + v + "'");
                    } else if (v != null) {
                        authType = e;
                    }
                }
                case "auth_pass" -> {
                    String v = values.secret(e);
                    if (v != null && !v.chars().allMatch(c -> c > 32 && c < 127)) {
                        // The value is a secret: errors and warnings go to logs and terminals, so never quote it.
                        problems.error(e.source(), "auth_pass must be printable ASCII (value not shown: it is"
                                + " a secret)");
                    } else if (v != null) {
                        authPassEntry = e;
                        authPass = v;
                        if (v.length() > 8) {
                            authPass = v.substring(0, 8);
                            problems.warn(e.source(), "auth_pass is longer than 8 characters; only its first"
                                    + " 8 are used, as keepalived does");
                        }
                    }
                }
                default -> Keywords.report(Keywords.Section.AUTHENTICATION, e, "authentication of vrrp_instance "
                        + name, problems);
            }
        }
    }

    private void notifyScript(Entry e, int which) {
        List<String> command = ScriptBuilder.command(e, problems);
        if (command == null) {
            return;
        }
        String user = ScriptBuilder.scriptUser(e, problems);
        if ("".equals(user)) {
            return;
        }
        if (!notify.get(which).isEmpty()) {
            // keepalived keeps the first and reports the others
            problems.warn(e.source(), e.key() + " is already set in vrrp_instance " + name + "; this one is "
                    + "ignored, as keepalived does");
            return;
        }
        notify.set(which, command);
        if (user != null) {
            notifyUsers.put(e.key(), user);
        }
    }

    private InstanceConfig finish(Source at) {
        if (iface == null) {
            problems.error(at, "vrrp_instance " + name + " has no 'interface'");
        }
        if (vrid == null) {
            problems.error(at, "vrrp_instance " + name + " has no 'virtual_router_id'");
        }
        boolean ipv6 = family(at);
        if (nativeIpv6 != null && !ipv6 && first() != null) {
            problems.error(nativeIpv6.source(), "vrrp_instance " + name + ": native_ipv6 cannot be used with IPv4 "
                    + "addresses (" + first().getHostAddress() + "), as in keepalived");
        }
        // keepalived: native_ipv6 makes the instance IPv6 and VRRP version 3 (a deprecated way of saying what IPv6
        // VIPs say already); a version written after it still counts and is refused below if it is 2.
        int v = version != null ? version : ipv6 || nativeIpv6 != null ? 3 : global.vrrpVersion();
        StrictRules.Written written = switches.written(state != null, ipv6, !peers.isEmpty(),
                global.instanceDefaults(), "vrrp_instance " + name);
        boolean strictMode = StrictRules.strict(written, global.instanceDefaults());
        if (ipv6 && v == 2 && strictMode) {
            problems.warn(at, "vrrp_instance " + name + ": IPv6 cannot use VRRP version 2; version 3 is used in strict "
                    + "mode, as keepalived does");
            v = 3;
        } else if (ipv6 && v == 2) {
            problems.error(at, "vrrp_instance " + name + " has IPv6 addresses, which need VRRP version 3 (version 2 here)");
        }
        if (vips.isEmpty()) {
            if (v == 3 || strictMode) {
                problems.error(at, "vrrp_instance " + name + " has no virtual_ipaddress; VRRP version 3 and strict "
                        + "mode need one");
            } else {
                problems.warn(at, "vrrp_instance " + name + " has no virtual_ipaddress");
            }
        }
        int prio = priorityAndState(at);
        int intervalCs = interval(v);
        boolean preempt = preempt();
        String pass = auth(v);
        NotifyConfig notifications = new NotifyConfig(notify.get(0), notify.get(1), notify.get(2), notify.get(3),
                notify.get(4), smtpAlert, priorityChanges, notifyUsers, deleted, notify.get(5));
        return StrictRules.apply(InstanceConfig.builder(name).initialState(state).iface(iface).vrid(vrid == null ? 0 : vrid)
                .priority(prio).intervalCs(intervalCs).version(v).authPass(pass).vips(vips).preempt(preempt)
                .preemptDelaySec(preempt ? preemptDelaySec : 0).unicastSrc(unicastSrc).unicastPeers(peers)
                .trackScripts(trackScripts).trackInterfaces(trackInterfaces).trackFiles(trackFiles).trackProcesses(trackProcesses)
                .notifications(notifications).garp(garp.build()).source(at).excludedVips(excluded)
                .dontTrackPrimary(dontTrackPrimary).vmac(vmac.build(name, iface, vrid, !peers.isEmpty()))
                .virtualRoutes(virtualRoutes).virtualRules(virtualRules).build(), written, global.instanceDefaults(), problems);
    }

    /** What decides the family, as in keepalived: the first VIP, else unicast_src_ip, else the first peer. */
    private InetAddress first() {
        if (!vips.isEmpty()) {
            return vips.get(0).address();
        }
        return unicastSrc != null ? unicastSrc : peers.isEmpty() ? null : peers.get(0);
    }

    /**
     * Checks that the advertised addresses are of one family; true for IPv6 (also for native_ipv6 without any
     * address). Excluded VIPs may be of either family: keepalived adds them and sends GARPs or NAs for them but never
     * puts them in adverts, which is how one instance can move an IPv4 and an IPv6 address together.
     */
    private boolean family(Source at) {
        InetAddress first = first();
        boolean ipv6 = first instanceof Inet6Address || (first == null && nativeIpv6 != null);
        String family = ipv6 ? "IPv6" : "IPv4";
        for (VirtualAddress vip : vips) {
            if (vip.address() instanceof Inet6Address != ipv6) {
                problems.error(vip.source(), "virtual address " + vip.address().getHostAddress() + " is not " + family
                        + " like the first address of vrrp_instance " + name + " (keepalived ignores it); an "
                        + "address of the other family can go in virtual_ipaddress_excluded");
            }
        }
        if (unicastSrc != null && unicastSrc instanceof Inet6Address != ipv6) {
            problems.error(unicastSrcEntry.source(), unicastSrcEntry.key() + " " + unicastSrc.getHostAddress() + " is not "
                    + family + " like the virtual addresses of vrrp_instance " + name);
        }
        for (InetAddress peer : peers) {
            if (peer instanceof Inet6Address != ipv6) {
                problems.error(peersEntry.source(), "unicast_peer " + peer.getHostAddress() + " is not " + family
                        + " like the virtual addresses of vrrp_instance " + name);
            }
        }
        return ipv6;
    }

    /** keepalived: no priority means 255 for state MASTER and 100 otherwise; no state follows the priority. */
    private int priorityAndState(Source at) {
        int prio;
        if (priority != null) {
            prio = priority;
        } else if (state == InitialState.MASTER) {
            prio = 255;
            problems.warn(at, "vrrp_instance " + name + " has state MASTER and no priority: priority 255 "
                    + "(address owner), as keepalived does; write a priority to avoid this");
        } else {
            prio = 100;
        }
        if (state == null) {
            state = prio == 255 ? InitialState.MASTER : InitialState.BACKUP;
        } else if (state == InitialState.BACKUP && prio == 255) {
            problems.warn(at, "vrrp_instance " + name + " has priority 255, which only the address owner may use, "
                    + "yet state BACKUP");
        }
        return prio;
    }

    private int interval(int v) {
        if (v == 2 && advertUs % SECOND_US != 0) {
            problems.error(advertInt.source(), "advert_int must be whole seconds 1..255 with VRRP version 2, got '"
                    + advertInt.arg() + "'");
        } else if (v == 3 && (advertUs % 10_000 != 0 || advertUs > 40_950_000L)) {
            problems.error(advertInt.source(), "advert_int must be 0.01..40.95 seconds in steps of 0.01 with VRRP "
                    + "version 3, got '" + advertInt.arg() + "'");
        }
        return (int) (advertUs / 10_000);
    }

    /** keepalived clears nopreempt and preempt_delay where they cannot work, with a warning. */
    private boolean preempt() {
        boolean preempt = nopreempt == null;
        if (!preempt && priorityIsOwner()) {
            problems.warn(nopreempt.source(), "nopreempt does not work with priority 255; ignored, as keepalived does");
            preempt = true;
        } else if (!preempt && state == InitialState.MASTER) {
            problems.warn(nopreempt.source(), "nopreempt needs state BACKUP; ignored with state MASTER, as keepalived does");
            preempt = true;
        }
        if (preemptDelay != null && state == InitialState.MASTER) {
            problems.warn(preemptDelay.source(), "preempt_delay needs state BACKUP; ignored with state MASTER, "
                    + "as keepalived does");
            preemptDelaySec = 0;
        } else if (preemptDelay != null && !preempt) {
            problems.warn(preemptDelay.source(), "preempt_delay does nothing with nopreempt; ignored");
        }
        return preempt;
    }

    private boolean priorityIsOwner() {
        return (priority != null ? priority : state == InitialState.MASTER ? 255 : 100) == 255;
    }

    private String auth(int v) {
        if (authType == null && authPassEntry != null) {
            problems.warn(authPassEntry.source(), "auth_pass without 'auth_type PASS' is ignored, as keepalived does");
            return null;
        }
        if (authType == null) {
            return null;
        }
        if (authPass == null) {
            problems.warn(authType.source(), "auth_type PASS without auth_pass: no authentication, as keepalived does");
            return null;
        }
        if (v == 3) {
            problems.warn(authType.source(), "VRRP version 3 has no authentication; auth_pass ignored, as keepalived does");
            return null;
        }
        return authPass;
    }
}
