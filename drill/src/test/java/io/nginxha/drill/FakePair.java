package io.nginxha.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A pair played in memory for the scenario tests: a clock that moves only in {@link #pause} (a request every
 * 10 ms, answered by whoever serves at that instant), a master and a backup host that react to the drill's
 * commands the way the agent's pair does, with fixed delays. No thread, no real time: every figure is exact.
 */
final class FakePair implements VipWatch {
    static final long FAILOVER_MS = 3000;
    static final long BOOT_MS = 5000;
    static final long HOLD_DOWN_MS = 10_000;
    static final long NGINX_RESTART_MS = 30;

    private record Event(double at, int seq, Runnable action) { }

    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Double.compare(a.at, b.at) : Integer.compare(a.seq, b.seq));
    private final List<Poller.Sample> samples = new ArrayList<>();
    private double now;
    private int seq;

    String holder = "ha1";
    boolean nginx = true;
    int nginxPid = 100;
    boolean broken;
    boolean powered = true;
    /** Whether the VRRP daemon's check restarts a stopped nginx (false: a daemon without a tracker). */
    boolean daemonRestartsNginx = true;
    /** Whether a stop of nginx is lost (its job queued, never run): nginx keeps its main process. */
    boolean stopIgnored;
    /** Whether the backup takes the VIP when the master is lost (false: nobody holds it). */
    boolean backupTakesOver = true;
    final List<String> commands = new ArrayList<>();
    /** Called after each command the master ran (a test's way in, in the middle of a step). */
    Runnable afterMasterCommand = () -> { };

    final FakeHost master = new FakeHost("ha1");
    final FakeHost backup = new FakeHost("ha2");

    @Override
    public double nowMs() {
        return now;
    }

    @Override
    public List<Poller.Sample> since(double fromMs) {
        return samples.stream().filter(s -> s.startMs() > fromMs).toList();
    }

    @Override
    public void pause(long ms) {
        for (long t = 0; t < ms; t += 10) {
            now += 10;
            while (!events.isEmpty() && events.peek().at <= now) {
                events.poll().action.run();
            }
            String server = server();
            samples.add(new Poller.Sample(now, now + 1, server, server == null ? "ConnectException" : null));
        }
    }

    private String server() {
        if (holder.equals("ha1")) {
            return powered && nginx ? "ha1" : null;
        }
        return holder.equals("ha2") ? "ha2" : null;
    }

    void after(long ms, Runnable action) {
        events.add(new Event(now + ms, seq++, action));
    }

    /** The local shell of the power commands: "off HOST" and "on HOST". */
    RemoteHost.Result local(String command) {
        commands.add("local: " + command);
        if (command.equals("off ha1")) {
            powered = false;
            after(FAILOVER_MS, () -> holder = backupTakesOver ? "ha2" : "none");
        } else if (command.equals("on ha1")) {
            after(BOOT_MS, () -> {
                powered = true;
                nginx = !broken;
                holder = "ha1";
            });
        } else {
            return new RemoteHost.Result(127, "unknown command");
        }
        return new RemoteHost.Result(0, "");
    }

    /** The master reacts to nginx commands; the backup only to {@code true}. */
    final class FakeHost implements RemoteHost {
        private final String name;
        int closed;

        FakeHost(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Result run(String command) throws DrillException {
            Result r = react(command);
            if (name.equals("ha1")) {
                afterMasterCommand.run();
            }
            return r;
        }

        private Result react(String command) throws DrillException {
            commands.add(name + ": " + command);
            if (name.equals("ha1") && !powered) {
                throw new DrillException("ha1: SSH: connection timed out");
            }
            if (command.equals("true") || name.equals("ha2")) {
                return new Result(0, "");
            }
            if (command.contains("zz-drill-break.conf && systemctl stop --no-block nginx")) {
                broken = true;
                stopNginx();
            } else if (command.equals("systemctl stop --no-block nginx")) {
                if (!stopIgnored) {
                    stopNginx();
                }
            } else if (command.equals("systemctl is-active nginx; systemctl show -p MainPID --value nginx")) {
                return new Result(0, nginx ? "active\n" + nginxPid + "\n" : "inactive\n0\n");
            } else if (command.startsWith("rm -f /etc/nginx/conf.d/zz-drill-break.conf && systemctl start nginx")) {
                boolean wasDown = !nginx;
                broken = false;
                startNginx();
                if (wasDown && holder.equals("ha2")) {
                    after(HOLD_DOWN_MS, () -> holder = "ha1");
                }
            } else if (command.startsWith("systemctl start nginx")) {
                if (broken) {
                    return new Result(1, "Job for nginx.service failed");
                }
                startNginx();
            } else {
                return new Result(127, "sh: unknown command");
            }
            return new Result(0, "");
        }

        private void startNginx() {
            if (!nginx) {
                nginxPid++;
            }
            nginx = true;
        }

        private void stopNginx() {
            nginx = false;
            if (broken) {
                after(FAILOVER_MS, () -> holder = "ha2");
            } else if (daemonRestartsNginx) {
                after(NGINX_RESTART_MS, this::startNginx);
            }
        }

        @Override
        public void close() {
            closed++;
        }
    }
}
