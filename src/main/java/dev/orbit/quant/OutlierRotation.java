package dev.orbit.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import dev.orbit.graph.Model;
import dev.orbit.numeric.Matrices;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.MatrixPart;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.StreamRotation;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * The rotation that removes activation outliers: fold the norms (exact), record every residual-stream activation
 * on a calibration batch, and among random candidates — randomised Hadamard and Haar, the identity as baseline —
 * keep per stream the Q minimising max |x·Q| over those activations (a stream's activations all move as x → x·Q, so
 * candidates are scored without re-running the model). Then measure RTN quantisation error before and after.
 */
public final class OutlierRotation {
    public record Config(int candidates, long seed) {}

    /** One scored candidate: kind (identity, hadamard, haar), index, max |activation| after rotating by it. */
    public record Candidate(String kind, int index, double maxActivation) {}

    /** Per stream: its width, the candidates and the winner, per-channel max |x| before and after. */
    public record StreamResult(int stream, int width, List<Candidate> candidates, Candidate best, double[] channelMaxBefore,
                               double[] channelMaxAfter) {}

    public record Result(List<StreamResult> streams, Model folded, Model rotated, GroupElement element,
                         SymmetryAnalysis analysis, List<String> foldingNotes) {}

    private OutlierRotation() {}

    /** Throws IllegalArgumentException when the model has no residual stream that rotates exactly. */
    public static Result run(Model original, Map<String, NdArray> calibration, Config config, IntConsumer progress) {
        NormFolding.Result fold = NormFolding.fold(original);
        Model folded = fold.model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(folded);
        if (a.rotatableStreams().isEmpty()) {
            String why = !fold.notes().isEmpty() ? fold.notes().getFirst() : a.streams().isEmpty() ? "no residual stream found" : a.streams().getFirst().reason();
            throw new IllegalArgumentException("no residual stream rotates exactly: " + why);
        }
        List<String> values = new ArrayList<>();
        for (ResidualStream s : a.rotatableStreams()) values.addAll(s.values());
        Map<String, NdArray> acts = Probe.values(folded, values, calibration);
        SplittableRandom rng = new SplittableRandom(config.seed());
        List<StreamResult> results = new ArrayList<>();
        List<MatrixPart> parts = new ArrayList<>();
        int done = 0;
        for (ResidualStream s : a.rotatableStreams()) {
            double[][] rows = rows(s, acts);
            List<Candidate> candidates = new ArrayList<>();
            List<double[][]> matrices = new ArrayList<>();
            candidates.add(new Candidate("identity", 0, maxAbs(rows, Matrices.identity(s.size()))));
            matrices.add(Matrices.identity(s.size()));
            boolean powerOfTwo = (s.size() & (s.size() - 1)) == 0;
            for (MatrixSampling.Rotation kind : MatrixSampling.Rotation.values()) {
                if (kind == MatrixSampling.Rotation.HADAMARD && !powerOfTwo) continue;
                for (int i = 0; i < config.candidates(); i++) {
                    double[][] q = kind == MatrixSampling.Rotation.HAAR ? Matrices.haarOrthogonal(s.size(), rng) : Matrices.randomHadamard(s.size(), rng);
                    candidates.add(new Candidate(kind.name().toLowerCase(), i, maxAbs(rows, q)));
                    matrices.add(q);
                    progress.accept(++done);
                }
            }
            int best = 0;
            for (int i = 1; i < candidates.size(); i++) if (candidates.get(i).maxActivation() < candidates.get(best).maxActivation()) best = i;
            double[][] q = matrices.get(best);
            if (best != 0) parts.add(new StreamRotation(s.id(), q));
            results.add(new StreamResult(s.id(), s.size(), candidates, candidates.get(best), channelMax(rows, Matrices.identity(s.size())),
                    channelMax(rows, q)));
        }
        GroupElement g = GroupElement.ofMatrices(parts);
        Model rotated = OrbitAction.apply(folded, a, g);
        return new Result(results, folded, rotated, g, a, fold.notes());
    }

    /** Every activation of the stream as rows of width d. */
    private static double[][] rows(ResidualStream s, Map<String, NdArray> acts) {
        int d = s.size();
        long total = 0;
        for (String v : s.values()) total += acts.get(v).size() / d;
        double[][] rows = new double[Math.toIntExact(total)][];
        int r = 0;
        for (String v : s.values()) {
            double[] x = acts.get(v).toDoubleArray();
            for (int i = 0; i < x.length / d; i++) rows[r++] = java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d);
        }
        return rows;
    }

    private static double maxAbs(double[][] rows, double[][] q) {
        double m = 0;
        for (double c : channelMax(rows, q)) m = Math.max(m, c);
        return m;
    }

    /** max over rows of |(x·Q)_j| for each channel j. */
    private static double[] channelMax(double[][] rows, double[][] q) {
        int d = q.length;
        double[] out = new double[d];
        for (double[] x : rows) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += x[k] * q[k][j];
                out[j] = Math.max(out[j], Math.abs(s));
            }
        }
        return out;
    }

    /** Quantisation figures of the original, the folded and the rotated model (evaluation batch separate from calibration). */
    public static List<QuantFigures> quantisation(Model original, Result r, Map<String, NdArray> calibration, Map<String, NdArray> evaluation) {
        NdArray reference = QuantFigures.run(original, evaluation);
        return List.of(QuantFigures.measure("original", original, calibration, evaluation, reference),
                QuantFigures.measure("folded", r.folded(), calibration, evaluation, reference),
                QuantFigures.measure("rotated", r.rotated(), calibration, evaluation, reference));
    }
}
