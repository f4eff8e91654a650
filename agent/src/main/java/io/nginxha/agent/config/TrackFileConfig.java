package io.nginxha.agent.config;

/**
 * keepalived's {@code track_file NAME { ... }} ({@code vrrp_track_file} is its older synonym; {@code track_files} in
 * YAML). The file holds an integer; an instance tracks it with {@code track_file { NAME [weight W [reverse]] }}.
 * With weight 0 a non-zero value means FAULT (reverse: a zero value does); otherwise value times weight is added to
 * the priority, and a result of -254 or less means FAULT. A missing, empty or unreadable file reads as 0.
 *
 * @param name          the block's name
 * @param path          the file watched
 * @param weight        the default weight of instances tracking it, -254..254 (keepalived's default 1)
 * @param weightReverse apply the weight negated
 * @param initValue     {@code init_file}: the value written at start when the file does not exist; null for none
 * @param initOverwrite {@code init_file ... overwrite}: also write it over an existing file (not on reload)
 * @param source        where it was declared
 */
public record TrackFileConfig(String name, String path, int weight, boolean weightReverse, Integer initValue,
                              boolean initOverwrite, Source source) {
    /** The same settings with no source: for comparing configs read from different files or lines. */
    public TrackFileConfig withoutSource() {
        return new TrackFileConfig(name, path, weight, weightReverse, initValue, initOverwrite, null);
    }
}
