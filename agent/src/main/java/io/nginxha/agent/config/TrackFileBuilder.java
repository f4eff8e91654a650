package io.nginxha.agent.config;

import java.util.List;

/** Builds one {@link TrackFileConfig} from a track_file (or vrrp_track_file) block. */
final class TrackFileBuilder {
    private final Values values;
    private final Problems problems;

    TrackFileBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    TrackFileConfig build(String section, String name, List<Entry> entries, Source at) {
        String path = null;
        int weight = 1;
        boolean reverse = false;
        Integer init = null;
        boolean overwrite = false;
        for (Entry e : entries) {
            switch (e.key()) {
                case "file" -> {
                    String v = values.single(e);
                    if (v != null && !v.startsWith("/")) {
                        problems.error(e.source(), "file of " + section + " " + name
                                + " must be an absolute path, got '" + v + "'");
                    } else if (v != null) {
                        path = v;
                    }
                }
                case "weight" -> {
                    List<String> a = e.args();
                    if (a.isEmpty() || a.size() > 2 || a.size() == 2 && !a.get(1).equals("reverse")) {
                        problems.error(e.source(), "weight of " + section + " " + name
                                + " is 'weight N [reverse]', got 'weight " + String.join(" ", a) + "'");
                        continue;
                    }
                    Integer w = values.integer(e, "weight of " + section + " " + name, a.get(0), -254, 254);
                    weight = w == null ? weight : w;
                    reverse = a.size() == 2;
                }
                case "init_file" -> {
                    init = 0;
                    for (String word : e.args()) {
                        if (word.equals("overwrite")) {
                            overwrite = true;
                        } else {
                            Integer v = values.integer(e, "init_file value of " + section + " " + name, word,
                                    -254, 254);
                            init = v == null ? init : v;
                        }
                    }
                }
                default -> Keywords.report(Keywords.Section.TRACK_FILE, e, section + " " + name, problems);
            }
        }
        if (path == null) {
            problems.error(at, section + " " + name + " needs 'file PATH'");
        }
        return new TrackFileConfig(name, path, weight, reverse, init, overwrite, at);
    }
}
