package io.nginxha.agent.runtime;

import io.nginxha.agent.check.Check;
import io.nginxha.agent.check.SimChecks;
import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ScriptConfig;

/**
 * A simulated host's vrrp_script: what each child run does (succeeds, fails, hangs until killed at the timeout,
 * or is slow) and the tracker thread that runs them, which a fault kills or hangs.
 */
final class SimChildren {
    enum Child { OK, FAIL, HANG, SLOW }

    private final SimHost host;
    Child child = Child.OK;
    /** The script tracker's thread: running, dead or hung (this life). */
    SimHost.Capture thread = SimHost.Capture.ALIVE;

    SimChildren(SimHost host) {
        this.host = host;
    }

    Check make(AgentConfig config, String check, int l) {
        if (SimChecks.isInterface(check)) {
            return SimChecks.linkUp(check);
        }
        ScriptConfig s = config.scripts().get(check);
        return SimChecks.script(s, this::run, new SimChecks.Schedule() {
            @Override public void after(long delay, Runnable task) {
                host.world.after(delay, () -> {
                    if (host.life == l && host.running) {
                        task.run();
                        host.wake(host.world.now());
                    }
                });
            }

            @Override public long now() {
                return host.world.now();
            }
        });
    }

    private SimChecks.Run run(ScriptConfig s) {
        long ms = SimWorld.MS;
        return switch (child) {
            case OK -> new SimChecks.Run(true, 0, (5 + host.world.random.nextInt(40)) * ms, "exit status 0");
            case FAIL -> new SimChecks.Run(false, 1, (5 + host.world.random.nextInt(40)) * ms, "exit status 1");
            case HANG -> new SimChecks.Run(false, -1, Long.MAX_VALUE / 4, "never ends");
            case SLOW -> new SimChecks.Run(true, 0, (long) (s.timeoutMs() * ms * (0.5 + 0.45 * host.world.random.nextDouble())),
                    "exit status 0");
        };
    }

    private SimChecks.ScriptThread scriptThread() {
        return host.running && host.trackers.checks().get("chk_nginx") instanceof SimChecks.ScriptThread t ? t : null;
    }

    /** The script tracker's thread dies ({@code dead}) or hangs for good (this life). */
    void threadFails(boolean dead) {
        SimChecks.ScriptThread t = scriptThread();
        if (t == null || thread != SimHost.Capture.ALIVE) {
            return;
        }
        if (dead) {
            t.dies();
            thread = SimHost.Capture.DEAD;
        } else {
            t.hangs();
            thread = SimHost.Capture.FAILING;
        }
        host.world.log(host, "script tracker thread " + (dead ? "dies" : "hangs"));
    }

    /** Why the tracker's thread keeps the agent from working (so the watchdog must starve), or null. */
    String cannotWork() {
        if (thread == SimHost.Capture.DEAD) {
            return "its script tracker's thread died";
        }
        SimChecks.ScriptThread t = scriptThread();
        if (thread == SimHost.Capture.FAILING && t != null
                && host.world.now() - t.lastAliveNanos() > t.maxSilenceNanos()) {
            return "its script tracker's thread hangs, silent since " + t.lastAliveNanos() / 1e9;
        }
        return null;
    }
}
