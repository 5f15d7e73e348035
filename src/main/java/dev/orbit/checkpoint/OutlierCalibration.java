package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.tensor.NdArray;

/**
 * Picks the residual rotation that best removes activation outliers (QuaRot/SpinQuant's R1): the original's
 * residual stream (after the embedding and after every block) on calibration tokens, in float64; since the rotated
 * checkpoint's stream is exactly h·Q, each candidate Q is scored on those states directly, without rewriting the
 * model. Candidates: {@code k} randomised Hadamard (when the width has one) and {@code k} Haar rotations from
 * consecutive seeds; the one with the smallest largest |activation| wins.
 */
public final class OutlierCalibration {
    private OutlierCalibration() {}

    public record Candidate(MoveSampler.Rotation kind, long seed, double maxAbs, double kurtosis) {}

    /** {@code baseline}: the unrotated stream's figures. */
    public record Result(Candidate baseline, List<Candidate> candidates, Candidate best, ResidualRotation rotation) {}

    public static Result run(Checkpoint c, long[][] tokens, int k, long seed) {
        Architecture a = c.architecture();
        if (!(a instanceof DecoderArchitecture)) {
            throw new IllegalArgumentException("only LLaMA-style decoders have a residual stream that rotates (" + a.family().modelType + " does not)");
        }
        String why = new ResidualRotation(new Orthogonal.KroneckerHadamard(1, a.hiddenSize(), new double[a.hiddenSize()])).obstacle(a);
        if (why != null) throw new IllegalArgumentException(why);
        List<NdArray> states = Forward.run(ReferenceForward.of(a, Weights.of(c, ScalarType.Double)), tokens, true).hiddenStates();
        Candidate baseline = score(states, null, null, -1);
        List<Candidate> out = new ArrayList<>();
        boolean hadamard = dev.orbit.numeric.Hadamard.split(a.hiddenSize()) != null;
        for (MoveSampler.Rotation kind : MoveSampler.Rotation.values()) {
            if (kind == MoveSampler.Rotation.HADAMARD && !hadamard) continue;
            for (int i = 0; i < k; i++) {
                long s = seed + i;
                out.add(score(states, MoveSampler.rotation(a, kind, s).q(), kind, s));
            }
        }
        Candidate best = out.getFirst();
        for (Candidate x : out) if (x.maxAbs < best.maxAbs) best = x;
        return new Result(baseline, out, best, MoveSampler.rotation(a, best.kind, best.seed));
    }

    /** Largest |activation| and the kurtosis E[x⁴]/E[x²]² of the stream over all states, rotated by q (or not). */
    private static Candidate score(List<NdArray> states, Orthogonal q, MoveSampler.Rotation kind, long seed) {
        double max = 0, m2 = 0, m4 = 0;
        long n = 0;
        for (NdArray h : states) {
            try (PointerScope scope = new PointerScope()) {
                Tensor x = h.torchView();
                if (q != null) x = q.right(x);
                double[] v = NdArray.fromTorch(x.contiguous()).toDoubleArray();
                for (double e : v) {
                    max = Math.max(max, Math.abs(e));
                    m2 += e * e;
                    m4 += e * e * e * e;
                }
                n += v.length;
            }
        }
        m2 /= n;
        m4 /= n;
        return new Candidate(kind, seed, max, m4 / (m2 * m2));
    }
}
