package dev.orbit.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.BatchNormFolding;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Orbit membership: is B a move g·A of A? The aligner recovers the element that brings A closest to B (units
 * matched by a linear assignment on scale-invariant similarities, scales, attention matrices and rotations by
 * least squares), then every weight tensor's residual ‖g·A − B‖/‖B‖ is measured in float64.
 *
 * <p>Decision rule, against the storage floor u of B's weights (unit roundoff: 2⁻²⁴ for float32, 2⁻¹¹ for float16,
 * 2⁻⁸ for bfloat16): <b>same orbit</b> when the largest residual is ≤ {@link #SAME_FLOOR_MULTIPLE}·u (B's own
 * rounding is ≈ u/√3 per entry; products and least-squares fits add a few u); <b>near</b> when it is ≤
 * {@link #NEAR_RESIDUAL} (a fine-tuned, quantised or noisy copy of an orbit point); otherwise <b>not the same orbit</b>,
 * reported with the overall distance ‖g·A − B‖/‖B‖ after the best alignment. When A's residual streams rotate only
 * after folding norm gains and the first alignment is not "same", both models are folded (an exact rewrite) and
 * aligned again; the element then refers to the folded A. Likewise, when the weights do not pair up or the alignment is
 * not "same" and either model has a Conv → BatchNormalization pair, both are compared with their BatchNorms folded
 * into the Conv (a model and its BatchNorm-folded, moved copy are the same orbit).
 */
public final class Membership {
    /** "Same": the largest residual within this many units of B's storage roundoff. */
    public static final double SAME_FLOOR_MULTIPLE = 64;
    /** "Near": the largest residual at most this. */
    public static final double NEAR_RESIDUAL = 0.5;

    public enum Verdict { SAME, NEAR, DIFFERENT }

    /**
     * @param reference  the model the element acts on (A, or A with its norm gains folded)
     * @param analysis   its symmetry analysis (the element refers to it)
     * @param residuals  per weight tensor of A, ‖g·A − B‖/‖B‖
     * @param folded     whether the reference is A with its norm gains folded
     * @param batchNormsFolded  BatchNorms folded into their Conv in the reference (0: none; B was folded alike)
     * @param interchangeable   per permutation class, the reference's units that are exactly interchangeable (dead,
     *                          or duplicates of another unit): the recovered permutation may place them either way
     */
    public record Result(Verdict verdict, GroupElement element, Model reference, SymmetryAnalysis analysis,
                         Map<String, Double> residuals, double maxResidual, double distance, double floor,
                         boolean folded, int batchNormsFolded, Map<Integer, int[]> interchangeable, List<String> notes,
                         double seconds) {
        public double sameThreshold() { return SAME_FLOOR_MULTIPLE * floor; }

        /** How many units are exactly interchangeable with another. */
        public int interchangeableUnits() { return interchangeable.values().stream().mapToInt(u -> u.length).sum(); }

        Result withBatchNormsFolded(int n) {
            return new Result(verdict, element, reference, analysis, residuals, maxResidual, distance, floor, folded, n, interchangeable, notes,
                    seconds);
        }
    }

    private Membership() {}

    public static Result compare(Model a, Model b) {
        long start = System.nanoTime();
        RuntimeException mismatch = null;
        Result best = null;
        try {
            best = attempts(a, b, start);
        } catch (dev.orbit.graph.ModelFormatException e) {
            mismatch = e;
        }
        // 4: both with their BatchNorms folded into the Conv before them (B may be a folded copy, or A)
        if (best == null || best.verdict() != Verdict.SAME) {
            BatchNormFolding.Result fa = BatchNormFolding.fold(a);
            BatchNormFolding.Result fb = BatchNormFolding.fold(b);
            if (fa.folded() > 0 || fb.folded() > 0) {
                try {
                    Result r = attempts(fa.model(), fb.model(), start).withBatchNormsFolded(fa.folded());
                    if (best == null || r.maxResidual() < best.maxResidual()) best = r;
                } catch (dev.orbit.graph.ModelFormatException e) {
                    if (mismatch == null) mismatch = e;
                }
            }
        }
        if (best == null) throw mismatch;
        return best;
    }

    /** Attempts 1–3; the pairing's {@code ModelFormatException} when the weights do not pair up. */
    private static Result attempts(Model a, Model b, long start) {
        Result best = null;
        RuntimeException mismatch = null;
        // 1: permutations, scalings and attention matrices; 2: also rotate residual streams; 3: the same after folding
        // norm gains on both sides (a rotated copy has them folded)
        for (int attempt = 0; attempt < 3 && (best == null || best.verdict() != Verdict.SAME); attempt++) {
            try {
                Model ra = a;
                Model rb = b;
                if (attempt == 1 && SpaceAnalyzer.analyze(a).rotatableStreams().isEmpty()) continue;
                if (attempt == 2) {
                    NormFolding.Result fa = NormFolding.fold(a);
                    if (!fa.changed() || SpaceAnalyzer.analyze(fa.model()).rotatableStreams().isEmpty()) continue;
                    ra = fa.model();
                    rb = NormFolding.fold(b).model();
                }
                Result r = align(ra, rb, attempt == 2, attempt > 0, start);
                if (best == null || r.maxResidual() < best.maxResidual()) best = r;
            } catch (dev.orbit.graph.ModelFormatException e) {
                if (mismatch == null) mismatch = e;
            }
        }
        if (best == null) throw mismatch;
        return best;
    }

    private static Result align(Model a, Model b, boolean folded, boolean rotate, long start) {
        Map<String, NdArray> theirs = ParameterPairing.pair(a, b);
        SymmetryAnalysis analysis = SpaceAnalyzer.analyze(a);
        Map<String, Tensor64> work = new LinkedHashMap<>();
        Map<String, Tensor64> target = new LinkedHashMap<>();
        for (var e : a.graph().parameters().entrySet()) {
            if (e.getValue().dtype().isFloating()) work.put(e.getKey(), Tensor64.of(e.getValue()));
        }
        double floor = 0;
        for (var e : theirs.entrySet()) {
            target.put(e.getKey(), Tensor64.of(e.getValue()));
            floor = Math.max(floor, roundoff(e.getValue().dtype()));
        }
        // parameters the element may touch but that the other model lacks (scalars) compare to themselves
        for (var e : work.entrySet()) target.putIfAbsent(e.getKey(), e.getValue().copy());
        Map<String, Tensor64> start0 = new LinkedHashMap<>();
        work.forEach((k, v) -> start0.put(k, v.copy()));
        Aligner aligner = new Aligner(analysis, work, rotate);
        MatchDecider decider = new MatchDecider(target);
        aligner.run(decider);
        Map<Integer, int[]> tied = Map.copyOf(aligner.interchangeable);
        Map<Integer, int[]> dead = Map.copyOf(aligner.dead);
        decider.resolveTwins(aligner);
        // units tied when their class was decided (dead, or duplicates on the slices settled then) were placed and
        // scaled again at the end; the classes after them were decided with their first guess in the slices, so align
        // again from the start with the resolved ones given, while the residual falls
        double before = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < TWIN_PASSES && !tied.isEmpty(); pass++) {
            // not stopped at the "same" bar: a dead unit's scale converges with the residual, down to the float floor
            double now = totalResidual(work, target, theirs.keySet());
            if (now >= before * (1 - 1e-3)) break;
            before = now;
            GroupElement found = aligner.element();
            Map<Integer, int[]> perms = new java.util.HashMap<>();
            Map<Integer, double[]> scales = new java.util.HashMap<>();
            for (int c : tied.keySet()) {
                perms.put(c, aligner.permutationOf(c));
                for (var s : aligner.spacesOf(c)) scales.put(s.id(), found.scale(s.id(), s.size()));
            }
            Map<String, Tensor64> fresh = new LinkedHashMap<>();
            start0.forEach((k, v) -> fresh.put(k, v.copy()));
            Aligner next = new Aligner(analysis, fresh, rotate);
            MatchDecider again = new MatchDecider(target).given(new MatchDecider.Twins(tied, dead, perms, scales));
            next.run(again);
            again.resolveTwins(next);
            work = fresh;
            aligner = next;
        }
        GroupElement g = aligner.element();
        // a stream's map chosen before the model was aligned (up front in closed form, or from too few settled rows) is
        // refined: the correction over every reader and writer, then align again from the start, while the residual
        // falls — down to B's own rounding, not just the "same" bar (a closed form from poorly spread rows can land
        // within the bar with little margin); the best pass is kept
        Map<Integer, Aligner.StreamMove> hints = new java.util.HashMap<>();
        double best = totalResidual(work, target, theirs.keySet());
        for (int pass = 0; pass < REFINEMENT_PASSES && best > REFINED_FLOOR_MULTIPLE * floor
                && !(aligner.underdetermined.isEmpty() && aligner.upFront.isEmpty()); pass++) {
            MatchDecider md = new MatchDecider(target);
            java.util.Set<Integer> streams = new java.util.TreeSet<>(aligner.underdetermined);
            streams.addAll(aligner.upFront);
            for (int st : streams) {
                Aligner.StreamMove r = md.refined(aligner, analysis.streams().get(st));
                if (r != null) hints.put(st, r);
            }
            Map<String, Tensor64> fresh = new LinkedHashMap<>();
            start0.forEach((k, v) -> fresh.put(k, v.copy()));
            Aligner next = new Aligner(analysis, fresh, rotate);
            MatchDecider refined = new MatchDecider(target, hints);
            next.run(refined);
            refined.resolveTwins(next);
            next.underdetermined.addAll(aligner.underdetermined);
            double now = totalResidual(fresh, target, theirs.keySet());
            if (!(now < best)) break;
            boolean slow = now >= best * (1 - 1e-3);
            best = now;
            work = fresh;
            aligner = next;
            g = next.element();
            if (slow) break;
        }
        Map<String, Double> residuals = new LinkedHashMap<>();
        double num = 0;
        double den = 0;
        double max = 0;
        for (String n : theirs.keySet()) {
            double[] x = work.get(n).data;
            double[] y = target.get(n).data;
            double d = 0;
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                double e = x[i] - y[i];
                d += e * e;
                s += y[i] * y[i];
            }
            double r = s == 0 ? Math.sqrt(d) : Math.sqrt(d / s);
            residuals.put(n, r);
            num += d;
            den += s;
            max = Math.max(max, r);
        }
        double distance = den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
        Verdict v = max <= SAME_FLOOR_MULTIPLE * floor ? Verdict.SAME : max <= NEAR_RESIDUAL ? Verdict.NEAR : Verdict.DIFFERENT;
        return new Result(v, g, a, analysis, residuals, max, distance, floor, folded, 0, Map.copyOf(aligner.interchangeable),
                new ArrayList<>(aligner.notes), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Whether a recovered class permutation is the true one up to interchangeable units: wherever they differ, both
     * units are among {@code interchangeable} (null: none). Entry j of a permutation is the unit of A that becomes j.
     */
    public static boolean samePermutation(int[] truth, int[] recovered, int[] interchangeable) {
        if (truth.length != recovered.length) return false;
        java.util.Set<Integer> twins = new java.util.HashSet<>();
        if (interchangeable != null) for (int u : interchangeable) twins.add(u);
        for (int j = 0; j < truth.length; j++) {
            if (truth[j] != recovered[j] && !(twins.contains(truth[j]) && twins.contains(recovered[j]))) return false;
        }
        return true;
    }

    static final int REFINEMENT_PASSES = 200;
    /** Stream refinement stops once the overall residual is within this many units of B's storage roundoff. */
    static final double REFINED_FLOOR_MULTIPLE = 4;
    /** Passes that re-align with tied units resolved; each shrinks the error their first guess left downstream. */
    static final int TWIN_PASSES = 30;

    private static double totalResidual(Map<String, Tensor64> work, Map<String, Tensor64> target, java.util.Set<String> names) {
        double num = 0;
        double den = 0;
        for (String n : names) {
            double[] x = work.get(n).data;
            double[] y = target.get(n).data;
            for (int i = 0; i < x.length; i++) {
                num += (x[i] - y[i]) * (x[i] - y[i]);
                den += y[i] * y[i];
            }
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    static double roundoff(DType t) {
        return switch (t) {
            case FLOAT64 -> Math.ulp(1.0) / 2;
            case FLOAT16 -> Math.pow(2, -11);
            case BFLOAT16 -> Math.pow(2, -8);
            default -> Math.pow(2, -24);
        };
    }
}
