package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.io.safetensors.ElementType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.NoiseRule;

/**
 * A moved checkpoint checked against its original on N random token sequences, both through the reference forward
 * ({@link Forward}), under the noise rule: the reference is the original in float64, and the moved checkpoint may be
 * off by at most k times the error the original itself makes in the precision it is judged in.
 * <ul>
 * <li><b>float32</b> (F32/F64 output): the moved checkpoint evaluated in float32 against the reference, at most
 * {@link #K} × the original's own float32 error + {@link #FLOAT32_FLOOR}.</li>
 * <li><b>bf16 / f16</b> output: re-rounding every moved weight to 8 (11) significant bits adds error by design, far
 * above float32's. The moved checkpoint is evaluated in float64 against the reference, at most {@link #K} × the
 * error of the original with every weight perturbed by a relative U(−u, u), u = 2⁻⁸ (bf16) or 2⁻¹¹ (f16): the size
 * of one re-rounding of every weight.</li>
 * </ul>
 * Errors are max |Δ| / max |reference| over all sequences, positions and logits (one number per output). With
 * {@code layers}, hidden states after the embedding and after every block are compared the same way (per layer).
 */
public record CheckpointVerification(String precision, int sequences, int tokens, double movedError, double ownError,
        double bound, boolean finite, List<Double> layerErrors) {

    /** Multiple of the original's own error a moved checkpoint may show. */
    public static final double K = 4;
    /** Absolute allowance on top for float32 (relative to the logits' scale): two float32 unit roundoffs. */
    public static final double FLOAT32_FLOOR = 1.2e-7;
    /**
     * The noise rule for float32 checkpoints: k = 4, tighter than {@link NoiseRule#MOVE}'s 16 for ONNX graphs, since
     * the reference forward sums in one fixed order on both sides and a checkpoint move re-rounds each weight once.
     */
    public static final NoiseRule FLOAT32 = new NoiseRule(K, FLOAT32_FLOOR);
    /** The rule for bf16/f16 checkpoints, against the re-rounding floor (no float32 allowance: judged in float64). */
    public static final NoiseRule REROUNDED = new NoiseRule(K, 0);

    public boolean passed() { return finite && movedError <= bound; }

    /** Random token sequences [n][t] over the vocabulary, from {@code seed}. */
    public static long[][] randomTokens(int vocab, int n, int t, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[][] out = new long[n][t];
        for (long[] row : out) for (int j = 0; j < t; j++) row[j] = rng.nextInt(vocab);
        return out;
    }

    public static CheckpointVerification run(Checkpoint original, Checkpoint moved, long[][] tokens, boolean layers, long seed) {
        ElementType stored = storedType(moved);
        Forward.Result reference = Forward.run(ReferenceForward.of(original.architecture(), Weights.of(original, ScalarType.Double)), tokens, layers);
        Forward.Result own, candidate;
        String precision;
        if (stored == ElementType.BF16 || stored == ElementType.F16) {
            precision = stored == ElementType.BF16 ? "bf16" : "f16";
            double u = stored == ElementType.BF16 ? 0x1p-8 : 0x1p-11;
            var generator = torch.createCPUGenerator(seed); // this run's own: manual_seed is process-wide
            own = Forward.run(ReferenceForward.of(original.architecture(), Weights.of(original, ScalarType.Double).perturbed(u, generator)), tokens, false);
            candidate = Forward.run(ReferenceForward.of(moved.architecture(), Weights.of(moved, ScalarType.Double)), tokens, layers);
        } else {
            precision = "float32";
            own = Forward.run(ReferenceForward.of(original.architecture(), Weights.of(original, ScalarType.Float)), tokens, false);
            candidate = Forward.run(ReferenceForward.of(moved.architecture(), Weights.of(moved, ScalarType.Float)), tokens, layers);
        }
        double ownError = error(own.output(), reference.output());
        double movedError = error(candidate.output(), reference.output());
        double bound = (precision.equals("float32") ? FLOAT32 : REROUNDED).allowed(ownError);
        List<Double> perLayer = new ArrayList<>();
        if (layers) for (int i = 0; i < reference.hiddenStates().size(); i++) perLayer.add(error(candidate.hiddenStates().get(i), reference.hiddenStates().get(i)));
        boolean finite = allFinite(candidate.output()) && Double.isFinite(movedError);
        return new CheckpointVerification(precision, tokens.length, tokens[0].length, movedError, ownError, bound, finite, perLayer);
    }

    /** The floating type the moved checkpoint's parameters are stored in (the widest if mixed). */
    static ElementType storedType(Checkpoint c) {
        ElementType widest = null;
        for (String n : c.tensors().names()) {
            ElementType t = c.tensors().entry(n).type();
            if (!t.isFloating()) continue;
            if (widest == null || t.byteSize > widest.byteSize) widest = t;
        }
        return widest == null ? ElementType.F32 : widest;
    }

    /** max |a − b| / max |b| over all elements. */
    public static double error(NdArray a, NdArray b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double diff = 0, scale = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
            scale = Math.max(scale, Math.abs(y[i]));
        }
        if (Double.isNaN(diff)) return Double.NaN;
        return scale == 0 ? diff : diff / scale;
    }

    private static boolean allFinite(NdArray a) {
        for (double v : a.toDoubleArray()) if (!Double.isFinite(v)) return false;
        return true;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("verification (%d random sequences × %d tokens, reference forward; the original in float64 is the reference):%n", sequences, tokens));
        if (precision.equals("float32")) {
            b.append(String.format("  moved in float32: %.2e; original's own float32 error: %.2e; noise rule %.0f × own + %.1e = %.2e: %s%n",
                    movedError, ownError, K, FLOAT32_FLOOR, bound, passed() ? "passed" : "FAILED"));
        } else {
            b.append(String.format("  moved (%s weights) in float64: %.2e; %s re-rounding floor (original, every weight ×(1 ± U(0, 2^-%d))): %.2e; bound %.0f × floor = %.2e: %s%n",
                    precision, movedError, precision, precision.equals("bf16") ? 8 : 11, ownError, K, bound, passed() ? "passed" : "FAILED"));
            b.append("  (re-rounding to " + precision + " adds error by design; --dtype f32 writes output the float32 noise rule holds)\n");
        }
        if (!layerErrors.isEmpty()) {
            b.append("  hidden states, layer by layer (embedding, then after each block):");
            for (double e : layerErrors) b.append(String.format(" %.1e", e));
            b.append('\n');
        }
        return b.toString();
    }
}
