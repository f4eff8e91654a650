package io.nginxha.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the drill switches the master off and on: the inventory's or the command line's local commands
 * ({@code {host}} replaced by the host's inventory name), else {@code systemctl poweroff} over SSH to switch it off
 * and the operator to switch it on.
 */
public final class PowerSwitch {
    /** Runs a command on the machine the drill runs on; a seam for tests. */
    @FunctionalInterface
    public interface LocalShell {
        RemoteHost.Result run(String command) throws DrillException;
    }

    private final String offTemplate;
    private final String onTemplate;
    private final LocalShell shell;
    private final Operator operator;
    private final Set<String> switchedOff = ConcurrentHashMap.newKeySet(); // also read by the interrupt's restore

    public PowerSwitch(String offTemplate, String onTemplate, LocalShell shell, Operator operator) {
        this.offTemplate = offTemplate;
        this.onTemplate = onTemplate;
        this.shell = shell;
        this.operator = operator;
    }

    /** Powers {@code host} off; its SSH session is dropped, since the host will not answer on it again. */
    public void off(RemoteHost host) throws DrillException {
        if (offTemplate != null) {
            local(DrillTarget.forHost(offTemplate, host.name()), "power-off");
        } else {
            // --no-block: the command returns before the host goes down and cuts the session.
            host.run("systemctl --no-block poweroff");
        }
        host.close();
        switchedOff.add(host.name());
    }

    /** The hosts this switch powered off and not on again, in no particular order. */
    public Set<String> off() {
        return Set.copyOf(switchedOff);
    }

    /** Whether this switch powered {@code host} off and not on again. */
    public boolean isOff(String host) {
        return switchedOff.contains(host);
    }

    public void on(RemoteHost host) throws DrillException {
        host.close();
        if (onTemplate != null) {
            local(DrillTarget.forHost(onTemplate, host.name()), "power-on");
        } else {
            operator.waitForEnter("Power " + host.name() + " on now (the drill powered it off).");
        }
        switchedOff.remove(host.name());
    }

    /** Describes what {@link #off}/{@link #on} will do, for the confirmation question. */
    public String describe(String host) {
        return "power off: " + (offTemplate != null ? DrillTarget.forHost(offTemplate, host)
                : "systemctl poweroff on " + host) + "; power on: " + (onTemplate != null
                ? DrillTarget.forHost(onTemplate, host) : "you will be asked to");
    }

    private void local(String command, String what) throws DrillException {
        RemoteHost.Result r = shell.run(command);
        if (!r.ok()) {
            throw new DrillException("the " + what + " command '" + command + "' failed (exit " + r.exit() + ")"
                    + (r.output().isBlank() ? "" : ":\n" + r.output().strip()));
        }
    }

    /** {@code sh -c COMMAND} here, output captured. */
    public static RemoteHost.Result runLocally(String command) throws DrillException {
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new RemoteHost.Result(p.waitFor(), output);
        } catch (IOException e) {
            throw new DrillException("cannot run '" + command + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrillException("interrupted while running '" + command + "'", e);
        }
    }
}
