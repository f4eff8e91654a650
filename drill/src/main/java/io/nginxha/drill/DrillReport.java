package io.nginxha.drill;

import java.util.List;

/**
 * Everything one run of the drill measured, as written to report.json and report.html.
 *
 * @param daemon    agent or keepalived
 * @param inventory the inventory directory
 * @param url       the URL polled
 * @param started   when the drill started (ISO-8601)
 * @param scenarios the scenarios in the order they ran
 */
public record DrillReport(String daemon, String inventory, String url, String started,
                          List<ScenarioResult> scenarios) {

    public boolean ok() {
        return !scenarios.isEmpty() && scenarios.stream().allMatch(ScenarioResult::ok);
    }

    public boolean aborted() {
        return scenarios.stream().anyMatch(ScenarioResult::aborted);
    }
}
