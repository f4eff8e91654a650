package io.nginxha.agent.notify;

import io.nginxha.agent.status.Json;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The instances' states as JSON (default /run/vrrp-agent/state.json), rewritten on every transition by writing a
 * temporary file beside it and renaming it over the old one, so a reader never sees half a file. Not thread-safe:
 * the {@link Notifier}'s single thread calls it.
 */
public final class StateFile {
    public static final Path DEFAULT = Path.of("/run/vrrp-agent/state.json");

    private record Entry(VrrpState state, int priority, Instant since, String reason) { }

    private final Path path;
    private String routerId;
    private final Map<String, Entry> instances = new LinkedHashMap<>();

    public StateFile(Path path, String routerId) {
        this.path = path;
        this.routerId = routerId;
    }

    public Path path() {
        return path;
    }

    /** A reload changed global router_id: rewrites the file at once if it has been written, so no reader waits
     * for the next transition to see the new name. */
    public void routerId(String next, Instant at) throws IOException {
        if (next.equals(routerId)) {
            return;
        }
        routerId = next;
        if (!instances.isEmpty()) {
            write(at);
        }
    }

    public void record(String instance, VrrpState state, int priority, Instant at, String reason) throws IOException {
        instances.put(instance, new Entry(state, priority, at, reason));
        write(at);
    }

    private void write(Instant at) throws IOException {
        StringBuilder b = new StringBuilder("{\n  \"router_id\": ").append(Json.quote(routerId))
                .append(",\n  \"updated\": ").append(Json.quote(at.toString())).append(",\n  \"instances\": {");
        String sep = "\n";
        for (var e : instances.entrySet()) {
            Entry v = e.getValue();
            b.append(sep).append("    ").append(Json.quote(e.getKey())).append(": {\"state\": ")
                    .append(Json.quote(v.state() == VrrpState.INIT ? "STOP" : v.state().name()))
                    .append(", \"priority\": ").append(v.priority())
                    .append(", \"since\": ").append(Json.quote(v.since().toString()))
                    .append(", \"reason\": ").append(Json.quote(v.reason())).append('}');
            sep = ",\n";
        }
        b.append("\n  }\n}\n");
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".state", ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
