package dev.orbit.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orbit.tensor.NdArray;

/** The checkpoints of scripts/make_checkpoints.py and their reference outputs (reference.json). */
final class CheckpointFixtures {
    static final Path DIR = Path.of("src/test/resources/checkpoints");
    static final List<String> ALL = List.of("llama", "mistral", "qwen2", "qwen3", "gpt2", "bert");
    static final List<String> ROTARY = List.of("llama", "mistral", "qwen2", "qwen3");

    private CheckpointFixtures() {}

    /** tokens [1, T]; logits [T, V] of the script's float64 and float32 torch forwards; hidden states (L + 1) × [T, d]. */
    record Reference(long[][] tokens, double[][] logits, double[][] logitsFloat32, List<double[][]> hiddenStates) {}

    static Path path(String name) { return DIR.resolve(name); }

    static Reference reference(String name) {
        try {
            JsonNode root = new ObjectMapper().readTree(DIR.resolve(name).resolve("reference.json").toFile());
            long[] tokens = new long[root.get("tokens").size()];
            for (int i = 0; i < tokens.length; i++) tokens[i] = root.get("tokens").get(i).asLong();
            List<double[][]> hidden = new java.util.ArrayList<>();
            for (JsonNode h : root.get("hidden_states")) hidden.add(matrix(h));
            return new Reference(new long[][] {tokens}, matrix(root.get("logits")), matrix(root.get("logits_float32")), hidden);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonNode r = rows.get(i);
            m[i] = new double[r.size()];
            for (int j = 0; j < m[i].length; j++) m[i][j] = r.get(j).asDouble();
        }
        return m;
    }

    /** Row {@code t} of a [1, T, N] array. */
    static double[] row(NdArray a, int t) {
        int n = (int) a.dim(-1);
        double[] out = new double[n];
        for (int j = 0; j < n; j++) out[j] = a.getAsDouble((long) t * n + j);
        return out;
    }

    /** max |a − b| / max |b| over one position (the scale of that position's output). */
    static double relativeError(double[] a, double[] b) {
        double diff = 0, scale = 0;
        for (int j = 0; j < b.length; j++) {
            diff = Math.max(diff, Math.abs(a[j] - b[j]));
            scale = Math.max(scale, Math.abs(b[j]));
        }
        return diff / scale;
    }

    /** The largest per-position relative error over all positions. */
    static double maxRelativeError(NdArray actual, double[][] expected) {
        double worst = 0;
        for (int t = 0; t < expected.length; t++) worst = Math.max(worst, relativeError(row(actual, t), expected[t]));
        return worst;
    }
}
