package dev.orbit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.safetensors.StoredTensor;
import dev.orbit.tensor.NdArray;

/**
 * Every exact move on every family it applies to: logits of the original and the moved checkpoint, both through
 * the float64 reference forward, on the fixture's tokens and 3 random sequences of 7 tokens. Tolerance 1e-10
 * relative (max |Δ| / max |logit| per position): the moves are exact in real arithmetic and computed in float64
 * (measured ≤ ~1e-13 with κ = 10 maps); a broken rule gives ≥ 1e-3, which the counter-tests show. The error after
 * re-rounding the moved tensors to the checkpoint's own type is printed for reference (bf16: ~1e-2 by design).
 */
class CheckpointMovesTest {
    static final double TOLERANCE = 1e-10;
    static final List<String> table = new ArrayList<>();

    static long[][] tokens(String name, int vocab) {
        long[][] t = new long[4][];
        t[0] = CheckpointFixtures.reference(name).tokens()[0];
        SplittableRandom rng = new SplittableRandom(7);
        for (int b = 1; b < 4; b++) {
            t[b] = new long[7];
            for (int j = 0; j < 7; j++) t[b][j] = rng.nextInt(vocab);
        }
        return t;
    }

    /** max over sequences and positions of max |a − b| / max |b| at that position. */
    static double error(NdArray a, NdArray b) {
        long n = b.dim(-1), rows = b.size() / n;
        double worst = 0;
        for (long r = 0; r < rows; r++) {
            double diff = 0, scale = 0;
            for (long j = 0; j < n; j++) {
                diff = Math.max(diff, Math.abs(a.getAsDouble(r * n + j) - b.getAsDouble(r * n + j)));
                scale = Math.max(scale, Math.abs(b.getAsDouble(r * n + j)));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }

    /** Logits error of the moved checkpoint (float64 tensors) and of its re-rounded version (the stored type). */
    static double[] measure(String name, CheckpointMove move) {
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(name))) {
            Architecture a = c.architecture();
            long[][] toks = tokens(name, a.vocabSize());
            Weights w = Weights.of(c, ScalarType.Double);
            NdArray before = Forward.run(ReferenceForward.of(a, w), toks, false).output();
            Map<String, StoredTensor> moved = Moves.apply(move, a, w, ElementType.F64);
            assertMoved(c, moved);
            NdArray after = Forward.run(ReferenceForward.of(move.after(a), w.overriding(moved)), toks, false).output();
            ElementType stored = c.tensors().entry(a.plan().required().keySet().iterator().next()).type();
            NdArray rounded = Forward.run(ReferenceForward.of(move.after(a), Moves.moved(move, a, w, stored)), toks, false).output();
            return new double[] {error(after, before), error(rounded, before)};
        }
    }

    /** The move really changed something (at least one touched tensor by more than 1 % of its scale). */
    static void assertMoved(Checkpoint c, Map<String, StoredTensor> moved) {
        double most = 0;
        for (var e : moved.entrySet()) {
            if (!c.tensors().contains(e.getKey())) {
                most = 1;
                continue;
            }
            double[] x = c.tensors().tensor(e.getKey()).toDoubles(), y = e.getValue().toDoubles();
            double diff = 0, scale = 1e-300;
            for (int i = 0; i < x.length; i++) {
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
                scale = Math.max(scale, Math.abs(x[i]));
            }
            most = Math.max(most, diff / scale);
        }
        assertTrue(most > 1e-2, "the move must change the weights");
    }

    static void exact(String name, String what, CheckpointMove move, Architecture a) {
        assertNull(move.obstacle(a), what + " on " + name);
        double[] e = measure(name, move);
        table.add(String.format("| %-8s | %-40s | %.1e | %.1e |", name, what, e[0], e[1]));
        assertTrue(e[0] <= TOLERANCE, what + " on " + name + ": " + e[0]);
    }

    static void broken(String name, String what, CheckpointMove move, Architecture a) {
        assertNotNull(move.obstacle(a), what + " on " + name + " must be refused");
        double e = measure(name, move)[0];
        table.add(String.format("| %-8s | %-40s | %.1e | (refused) |", name, what, e));
        assertTrue(e > 1e-3, what + " on " + name + " should change the function, error " + e);
    }

    static Architecture arch(String name) {
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(name))) {
            return c.architecture();
        }
    }

    @AfterAll
    static void printTable() {
        System.out.println("| fixture | move | float64 error | re-rounded to the checkpoint's type |");
        table.forEach(System.out::println);
    }

    @Test
    void residualRotationOnRotaryDecoders() {
        for (String name : CheckpointFixtures.ROTARY) {
            Architecture a = arch(name);
            exact(name, "residual rotation, randomized Hadamard", MoveSampler.rotation(a, MoveSampler.Rotation.HADAMARD, 1), a);
            exact(name, "residual rotation, Haar", MoveSampler.rotation(a, MoveSampler.Rotation.HAAR, 2), a);
        }
    }

    @Test
    void rotationUntiesATiedHead() {
        Architecture a = arch("qwen2");
        CheckpointMove r = MoveSampler.rotation(a, MoveSampler.Rotation.HAAR, 3);
        var after = (DecoderArchitecture) r.after(a);
        assertFalse(after.tied());
        assertEquals("lm_head.weight", after.head());
        assertTrue(r.touched(a).contains("lm_head.weight"));
        assertNotNull(r.obstacle(arch("gpt2")));
        assertNotNull(r.obstacle(arch("bert")));
    }

    @Test
    void mlpChannelsPermuteAndScale() {
        for (String name : CheckpointFixtures.ALL) {
            Architecture a = arch(name);
            boolean swiglu = a instanceof DecoderArchitecture;
            exact(name, swiglu ? "MLP permute + scale τ ∈ ±[1/4, 4]" : "MLP permute", MoveSampler.mlp(a, 4, 4), a);
        }
    }

    @Test
    void geluBlocksScaling() {
        Architecture a = arch("gpt2");
        MlpChannels p = MoveSampler.mlp(a, 4, 5);
        List<double[]> scales = new ArrayList<>();
        for (double[] s : p.scale()) {
            double[] t = s.clone();
            java.util.Arrays.fill(t, 2.0);
            scales.add(t);
        }
        broken("gpt2", "MLP scale τ = 2 through GELU", new MlpChannels(p.perm(), scales), a);
    }

    @Test
    void valueMapsOnEveryFamily() {
        for (String name : CheckpointFixtures.ALL) {
            Architecture a = arch(name);
            exact(name, "values: per-kv-head GL(hd), κ = 10", MoveSampler.values(a, 10, 6), a);
        }
    }

    @Test
    void queryKeyMapsCommutingWithRotaryEmbeddings() {
        for (String name : List.of("llama", "mistral", "qwen2")) {
            DecoderArchitecture a = (DecoderArchitecture) arch(name);
            exact(name, "q/k: RoPE-commuting 2×2 blocks", MoveSampler.rotaryQueryKeys(a, 7), a);
        }
        DecoderArchitecture q3 = (DecoderArchitecture) arch("qwen3");
        exact("qwen3", "q/k: pair-constant q/k-norm gain scales", MoveSampler.qkNorm(q3, 8), q3);
    }

    @Test
    void generalQueryKeyMapsWithoutRotaryEmbeddings() {
        for (String name : List.of("gpt2", "bert")) {
            Architecture a = arch(name);
            exact(name, "q/k: per-head GL(hd), κ = 10", MoveSampler.queryKeys(a, 10, 9), a);
        }
    }

    /** The restriction is needed: a general GL(hd), or the 2×2 blocks in the wrong pairing, break RoPE models. */
    @Test
    void generalQueryKeyMapsBreakRotaryModels() {
        for (String name : List.of("llama", "qwen2")) {
            DecoderArchitecture a = (DecoderArchitecture) arch(name);
            broken(name, "q/k: general GL(hd), κ = 10", MoveSampler.queryKeys(a, 10, 10), a);
            QueryKeyMaps rightBlocks = MoveSampler.rotaryQueryKeys(a, 11).asMatrices(a.headDim());
            List<List<double[][]>> wrong = new ArrayList<>();
            for (List<double[][]> layer : rightBlocks.a()) wrong.add(layer.stream().map(CheckpointMovesTest::interleaved).toList());
            broken(name, "q/k: 2×2 blocks on pairs (2k, 2k+1)", new QueryKeyMaps(wrong), a);
        }
        DecoderArchitecture q3 = (DecoderArchitecture) arch("qwen3");
        broken("qwen3", "q/k: RoPE blocks through q/k norms", MoveSampler.rotaryQueryKeys(q3, 12), q3);
    }

    /** The same blocks moved from pairs (k, k + hd/2) to pairs (2k, 2k + 1). */
    static double[][] interleaved(double[][] a) {
        int hd = a.length, half = hd / 2;
        int[] slot = new int[hd];
        for (int k = 0; k < half; k++) {
            slot[k] = 2 * k;
            slot[k + half] = 2 * k + 1;
        }
        double[][] out = new double[hd][hd];
        for (int i = 0; i < hd; i++) for (int j = 0; j < hd; j++) out[slot[i]][slot[j]] = a[i][j];
        return out;
    }

    @Test
    void headPermutations() {
        for (String name : CheckpointFixtures.ALL) {
            Architecture a = arch(name);
            exact(name, "heads: kv heads with their groups + within", MoveSampler.heads(a, 13), a);
        }
    }

    /** All exact moves of a family composed (each reads the previous one's output). */
    @Test
    void composedMoves() {
        for (String name : CheckpointFixtures.ALL) {
            try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(name))) {
                Architecture a = c.architecture();
                List<CheckpointMove> moves = new ArrayList<>(List.of(MoveSampler.heads(a, 20), MoveSampler.mlp(a, 4, 21), MoveSampler.values(a, 10, 22)));
                if (a instanceof DecoderArchitecture d) {
                    moves.add(d.qkNorm() ? MoveSampler.qkNorm(d, 23) : MoveSampler.rotaryQueryKeys(d, 23));
                    moves.add(MoveSampler.rotation(a, MoveSampler.Rotation.HADAMARD, 24));
                } else {
                    moves.add(MoveSampler.queryKeys(a, 10, 23));
                }
                long[][] toks = tokens(name, a.vocabSize());
                Weights w = Weights.of(c, ScalarType.Double);
                NdArray before = Forward.run(ReferenceForward.of(a, w), toks, false).output();
                Architecture current = a;
                Weights moved = w;
                for (CheckpointMove m : moves) {
                    assertNull(m.obstacle(current));
                    moved = Moves.moved(m, current, moved, ElementType.F64);
                    current = m.after(current);
                }
                double e = error(Forward.run(ReferenceForward.of(current, moved), toks, false).output(), before);
                table.add(String.format("| %-8s | %-40s | %.1e | |", name, "all of the above composed", e));
                assertTrue(e <= TOLERANCE, name + ": " + e);
            }
        }
    }
}
