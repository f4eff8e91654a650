package io.nginxha.drill;

import java.util.List;

/**
 * One scenario's outcome.
 *
 * @param name    the scenario's label (power-off)
 * @param ok      every step ended as expected on every VIP and the hosts were left as found
 * @param steps   the steps that ran, as measured on the main VIP
 * @param error   why the scenario did not run or complete (null when it did)
 * @param aborted the drill could not go on (a host unreachable, a command it needs failing): exit status 2
 * @param others  the same steps as measured on each other VIP of a cluster (empty for one VIP)
 */
public record ScenarioResult(String name, boolean ok, List<StepResult> steps, String error, boolean aborted,
                             List<VipSteps> others) {

    /** The steps as one more VIP saw them. */
    public record VipSteps(String vip, List<StepResult> steps) { }

    public ScenarioResult(String name, boolean ok, List<StepResult> steps, String error, boolean aborted) {
        this(name, ok, steps, error, aborted, List.of());
    }
}
