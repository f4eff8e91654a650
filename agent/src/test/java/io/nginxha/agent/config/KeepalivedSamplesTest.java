package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * keepalived's own sample configs (Debian's keepalived package, installed by scripts/install-deps): each is
 * accepted, or refused on exactly the lines listed here and for the reason the keyword table gives. LVS lines
 * and auth_type AH are refused by design; the others name a feature not implemented yet and leave this list as
 * the features land.
 */
class KeepalivedSamplesTest {
    private static final Path SAMPLES = Path.of("/usr/share/doc/keepalived/samples");
    /** A name suffix: the sample read with a config id that none of its @ID lines names. */
    private static final String AS_OTHER_HOST = " as lb1";
    private static final Pattern REFUSAL = Pattern.compile(".*?:(\\d+): (?:'([A-Za-z_0-9]+)' .*is not supported by "
            + "vrrp-agent: (.*)|(auth_type AH) is not supported by vrrp-agent.*)");

    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("keepalived.conf.HTTP_GET.port", "13 virtual_server"),
            Map.entry("keepalived.conf.IPv6", "7 virtual_server_group, 13 virtual_server"),
            Map.entry("keepalived.conf.PING_CHECK", "14 virtual_server"),
            Map.entry("keepalived.conf.SMTP_CHECK", "25 virtual_server"),
            Map.entry("keepalived.conf.SSL_GET", "20 auth_type AH, 30 virtual_server, 55 virtual_server"),
            Map.entry("keepalived.conf.UDP_CHECK", "14 virtual_server"),
            // read as host "high", as its comments suggest: line 3 is "@high net_namespace high"
            Map.entry("keepalived.conf.conditional_conf", "3 net_namespace"),
            // read as a host of another name (check-config's default is the host name): no @ line matches, so
            // vrrp_script check_VI_0 has no script and is removed with its track_script, as keepalived does
            Map.entry("keepalived.conf.conditional_conf" + AS_OTHER_HOST, ""),
            Map.entry("keepalived.conf.fwmark", "7 virtual_server"),
            Map.entry("keepalived.conf.inhibit", "13 virtual_server"),
            Map.entry("keepalived.conf.misc_check", "14 virtual_server"),
            Map.entry("keepalived.conf.misc_check_arg", "13 virtual_server"),
            Map.entry("keepalived.conf.quorum", "23 virtual_server"),
            Map.entry("keepalived.conf.sample", "26 virtual_server"),
            Map.entry("keepalived.conf.status_code", "14 virtual_server"),
            Map.entry("keepalived.conf.track_interface", ""),
            Map.entry("keepalived.conf.virtual_server_group", "13 virtual_server_group, 22 virtual_server"),
            Map.entry("keepalived.conf.virtualhost", "13 virtual_server"),
            Map.entry("keepalived.conf.vrrp", ""),
            Map.entry("keepalived.conf.vrrp.localcheck", ""),
            // Its sync group names the members without 'group { }': warned and removed, as keepalived does.
            Map.entry("keepalived.conf.vrrp.lvs_syncd", "50 virtual_server"),
            // line 30, the multipath 'via A or B', is accepted with keepalived's deprecation warning
            Map.entry("keepalived.conf.vrrp.routes", ""),
            // the sample's own typos (lines 11 and 26): those rules are dropped with a warning, as keepalived drops them
            Map.entry("keepalived.conf.vrrp.rules", ""),
            Map.entry("keepalived.conf.vrrp.scripts", ""),
            Map.entry("keepalived.conf.vrrp.static_ipaddress", ""),
            Map.entry("keepalived.conf.vrrp.sync", ""),
            Map.entry("/etc/keepalived/keepalived.conf.sample", "36 virtual_server, 61 virtual_server, 109 virtual_server"));

    static Stream<Arguments> samples() {
        return REFUSED.keySet().stream().sorted().map(name -> Arguments.of(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void refusedOnlyOnTheListedLines(String name) {
        String fileName = name.replace(AS_OTHER_HOST, "");
        Path file = fileName.startsWith("/") ? Path.of(fileName) : SAMPLES.resolve(fileName);
        assumeTrue(Files.isReadable(file), "keepalived's samples are not installed (scripts/install-deps installs "
                + "the keepalived package): " + file);
        List<String> problems;
        try {
            ConfigLoader.loadWithWarnings(file, name.endsWith("conditional_conf") ? "high" : "lb1");
            // (each leniency's warning text is pinned by the corpus: 60..62-*.conf)
            problems = List.of();
        } catch (ConfigException e) {
            problems = e.problems();
        }
        List<String> refused = new ArrayList<>();
        for (String p : problems) {
            Matcher m = REFUSAL.matcher(p);
            if (!m.matches()) {
                refused.add("not a refusal: " + p);
                continue;
            }
            String keyword = m.group(2) != null ? m.group(2) : m.group(4);
            refused.add(m.group(1) + " " + keyword);
            if (m.group(3) != null) {
                Keywords.Keyword k = Keywords.get(Keywords.Section.ROOT, keyword) != null
                        ? Keywords.get(Keywords.Section.ROOT, keyword)
                        : Keywords.get(Keywords.Section.GLOBAL, keyword) != null
                        ? Keywords.get(Keywords.Section.GLOBAL, keyword) : Keywords.get(Keywords.Section.INSTANCE, keyword);
                // an option of a line (a route's 'or', a VIP's 'peer') is refused with its own reason, not a keyword's
                if (k != null) {
                    assertEquals(k.reason(), m.group(3), p);
                }
            }
        }
        refused.sort((a, b) -> Integer.compare(lineOf(a), lineOf(b)));
        assertEquals(REFUSED.get(name), String.join(", ", refused));
    }

    /** The lines keepalived 2.2.7 drops with a warning are dropped here with one naming file:line, not accepted silently. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "keepalived.conf.vrrp.rules, 11: static_rules line dropped: '192.168.100./24' after 'to'",
        "keepalived.conf.vrrp.rules, 26: virtual_rules line dropped: '192.168.200./24' after 'to'",
        "keepalived.conf.conditional_conf, 6: vrrp_script check_VI_0 has no 'script' to run: it is removed",
        "keepalived.conf.conditional_conf, 25: track_script 'check_VI_0' in vrrp_instance VI_0 is ignored"})
    void droppedLinesAreWarned(String name, String warning) throws ConfigException {
        Path file = SAMPLES.resolve(name);
        assumeTrue(Files.isReadable(file), "keepalived's samples are not installed: " + file);
        List<String> warnings = ConfigLoader.loadWithWarnings(file, "lb1").warnings();
        String expected = file + ":" + warning;
        org.junit.jupiter.api.Assertions.assertTrue(warnings.stream().anyMatch(w -> w.startsWith(expected)),
                expected + " in " + warnings);
    }

    private static int lineOf(String refusal) {
        String first = refusal.split(" ")[0];
        return first.chars().allMatch(Character::isDigit) ? Integer.parseInt(first) : -1;
    }
}
