package io.nginxha.drill;

import java.util.List;

/**
 * One scenario's outcome.
 *
 * @param name    the scenario's label (power-off)
 * @param ok      every step ended as expected and the pair was left as found
 * @param steps   the steps that ran
 * @param error   why the scenario did not run or complete (null when it did)
 * @param aborted the drill could not go on (a host unreachable, a command it needs failing): exit status 2
 */
public record ScenarioResult(String name, boolean ok, List<StepResult> steps, String error, boolean aborted) { }
