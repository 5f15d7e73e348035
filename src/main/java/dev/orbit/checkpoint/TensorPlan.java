package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.orbit.io.safetensors.SafetensorsFolder;
import dev.orbit.io.safetensors.TensorEntry;

/**
 * The tensors an architecture expects, by name and shape: required parameters, optional ones (checked when
 * present) and buffers (non-parameters some files carry, such as GPT-2's causal mask; ignored). {@link #verify}
 * compares a checkpoint against it and names the first few problems.
 */
public final class TensorPlan {
    private final Map<String, long[]> required = new LinkedHashMap<>();
    private final Map<String, long[]> optional = new LinkedHashMap<>();
    private final List<Pattern> buffers = new ArrayList<>();

    TensorPlan require(String name, long... shape) {
        required.put(name, shape);
        return this;
    }

    TensorPlan allow(String name, long... shape) {
        optional.put(name, shape);
        return this;
    }

    TensorPlan buffer(String regex) {
        buffers.add(Pattern.compile(regex));
        return this;
    }

    /** Required parameters in model order (embeddings, layer by layer, head). */
    public Map<String, long[]> required() { return Collections.unmodifiableMap(required); }

    public Map<String, long[]> optional() { return Collections.unmodifiableMap(optional); }

    public boolean isBuffer(String name) {
        for (Pattern p : buffers) if (p.matcher(name).matches()) return true;
        return false;
    }

    /** The shape a parameter must have, or {@code null} when the plan does not know it. */
    public long[] shapeOf(String name) {
        long[] s = required.get(name);
        return s != null ? s : optional.get(name);
    }

    void verify(SafetensorsFolder tensors, String family) {
        String where = tensors.folder() + ": ";
        List<String> missing = new ArrayList<>();
        for (String n : required.keySet()) if (!tensors.contains(n)) missing.add(n);
        if (!missing.isEmpty()) {
            throw new CheckpointFormatException(where + family + " checkpoint lacks " + missing.size() + " tensor(s): " + first(missing));
        }
        List<String> unknown = new ArrayList<>();
        for (String n : tensors.names()) {
            long[] expected = shapeOf(n);
            if (expected == null) {
                if (!isBuffer(n)) unknown.add(n);
                continue;
            }
            TensorEntry e = tensors.entry(n);
            if (!Arrays.equals(expected, e.shape())) {
                throw new CheckpointFormatException(where + "tensor '" + n + "' has shape " + Arrays.toString(e.shape())
                        + ", the config implies " + Arrays.toString(expected));
            }
            if (!e.type().isFloating()) {
                throw new CheckpointFormatException(where + "tensor '" + n + "' is " + e.type() + "; parameters must be floating point");
            }
        }
        if (!unknown.isEmpty()) {
            throw new CheckpointFormatException(where + unknown.size() + " tensor(s) a " + family + " checkpoint does not have: " + first(unknown));
        }
    }

    private static String first(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", …" : "");
    }
}
