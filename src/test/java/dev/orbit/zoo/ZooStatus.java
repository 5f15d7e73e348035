package dev.orbit.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The committed record of what Orbit does with each zoo file today (zoo/status.json): per check "pass" or
 * "not yet: reason", and the symmetry totals `orbit symmetries --json` finds. ZooTest fails when a recorded
 * "pass" stops passing, when a "not yet" starts passing, or when the found totals change, so the record stays
 * honest; whoever changes Orbit's behaviour updates it (the test prints the new entries).
 */
final class ZooStatus {
    static final String FILE = "status.json";
    static final String PASS = "pass";

    private final JsonNode root;
    private final Map<String, ObjectNode> measured = new TreeMap<>();

    private ZooStatus(JsonNode root) { this.root = root; }

    static ZooStatus load() {
        Path file = Zoo.DIR.resolve(FILE);
        return new ZooStatus(Files.exists(file) ? Zoo.read(file) : Zoo.JSON.createObjectNode());
    }

    /** Keep what a test measured (checks and/or found totals) for {@link #writeMeasured}. */
    synchronized void measured(String file, Map<String, String> checks, Map<String, Long> found) {
        ObjectNode entry = measured.computeIfAbsent(file, k -> root.path("files").has(k)
                ? ((ObjectNode) root.path("files").get(k)).deepCopy() : Zoo.JSON.createObjectNode());
        if (checks != null) checks.forEach(entry::put);
        if (found == null && checks != null && checks.containsKey("symmetries") && !passes(checks.get("symmetries"))) entry.remove("found");
        if (found != null) {
            ObjectNode f = entry.putObject("found");
            found.forEach(f::put);
        }
    }

    /** The recorded file with every measured entry replaced: review it, then copy it over zoo/status.json. */
    synchronized void writeMeasured(Path out) throws IOException {
        ObjectNode copy = root.isObject() ? ((ObjectNode) root).deepCopy() : Zoo.JSON.createObjectNode();
        ObjectNode files = copy.has("files") ? (ObjectNode) copy.get("files") : copy.putObject("files");
        measured.forEach(files::set);
        ObjectNode sorted = Zoo.JSON.createObjectNode();
        new TreeMap<>(iterate(files)).forEach(sorted::set);
        copy.set("files", sorted);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Zoo.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), copy);
    }

    private static Map<String, JsonNode> iterate(ObjectNode files) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        files.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    /** The recorded status of one check ("pass" or "not yet: ..."), or null when the file or check is not listed. */
    String check(String file, String check) {
        JsonNode f = root.path("files").path(file);
        return f.has(check) ? f.get(check).asText() : null;
    }

    /** The recorded found totals of one file, or an empty map. */
    Map<String, Long> found(String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        root.path("files").path(file).path("found").properties().forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    static boolean passes(String status) { return PASS.equals(status); }

    /** "pass" or "not yet: first line of the reason". */
    static String notYet(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
        return "not yet: " + t.getClass().getSimpleName() + ": " + msg;
    }

    /** Differences between what was measured and what is recorded, one line each (empty when they agree). */
    List<String> differences(String file, Map<String, String> checks, Map<String, Long> found) {
        List<String> out = new ArrayList<>();
        checks.forEach((check, now) -> {
            String was = check(file, check);
            if (was == null) out.add(file + " " + check + ": not recorded (now " + now + ")");
            else if (passes(was) != passes(now)) out.add(file + " " + check + ": recorded '" + was + "', now '" + now + "'");
        });
        if (found != null && !found.equals(found(file))) {
            out.add(file + " found symmetry totals: recorded " + found(file) + ", now " + found);
        }
        return out;
    }
}
