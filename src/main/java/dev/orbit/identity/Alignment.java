package dev.orbit.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.spectra.BalancedPoint;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * Alignment (git re-basin, generalised by Orbit's analysis of any graph): moves B along its orbit toward A, so that
 * the two can be interpolated or averaged. The result computes B's function exactly (an orbit move); only where on
 * the orbit it sits changes. Steps (docs/ALIGNMENT.md):
 * <ol>
 *   <li>teleport rewrites are undone on both models; A's weights are paired with B's (by name, or by order and
 *       shape: {@link ParameterPairing}) and read into B's graph, so one symmetry analysis (B's) speaks for both;</li>
 *   <li>both go to their balanced points (per unit equal incoming and outgoing norms, on the spaces whose positive
 *       scaling needs no rewrite): scale is then a property of the function, not of the point;</li>
 *   <li>the sequential resolution of {@link Aligner} with {@link AlignmentDecider}: classes in dependency order by
 *       weight matching on the settled slices (or by activation matching), heads and per-head GL(d) by balancing and
 *       Procrustes;</li>
 *   <li>weights: coordinate descent over the channel-by-channel permutation classes — each class's assignment
 *       re-solved on all its slices, the others held, until a sweep changes nothing. A class spans every space it
 *       links (the blocks of a residual stream, the inputs of a concatenation), so those are matched jointly;</li>
 *   <li>B is put into A's scaling frame (the inverse of A's balancing), and the whole element acts once on B
 *       through {@link OrbitAction} (one rounding).</li>
 * </ol>
 * Aligning g·A onto A returns A's weights (balanced points are unique on the scaling orbit and permutation
 * equivariant, so the matched permutation is g's inverse).
 */
public final class Alignment {
    public enum Method { WEIGHTS, ACTIVATIONS }

    /**
     * @param data              inputs for activation matching (e.g. 2,000 training digits, shaped for the model's
     *                          input); ignored by weight matching
     * @param singleProducts    form the similarity products in float32 (faster; docs/ALIGNMENT.md)
     * @param maxSweeps         coordinate-descent sweeps at most
     */
    public record Options(Method method, NdArray data, boolean singleProducts, int maxSweeps) {
        public Options {
            if (maxSweeps < 0) throw new IllegalArgumentException("sweeps must be ≥ 0");
            if (method == Method.ACTIVATIONS && data == null) throw new IllegalArgumentException("activation matching needs data");
        }

        public static Options weights() { return new Options(Method.WEIGHTS, null, false, 100); }

        public static Options activations(NdArray data) { return new Options(Method.ACTIVATIONS, data, false, 100); }
    }

    /**
     * @param aligned        B moved toward A (same graph as {@code reference})
     * @param reference      B as the element acts on it (B with teleport rewrites undone)
     * @param element        the element that takes {@code reference} to {@code aligned}
     * @param sweeps         coordinate-descent sweeps run (the last one changed nothing, unless it hit the limit)
     * @param sweepSeconds   seconds per sweep
     * @param productSeconds seconds spent forming similarity matrices (products), all passes
     * @param solverSeconds  seconds spent in the linear-assignment solver, all passes
     * @param distanceBefore ‖B − A‖/‖A‖ over the paired weights
     * @param distanceAfter  ‖aligned − A‖/‖A‖
     */
    public record Result(Model aligned, Model reference, SymmetryAnalysis analysis, GroupElement element, Method method,
                         int classes, int sweeps, List<Double> sweepSeconds, double productSeconds, double solverSeconds,
                         double activationSeconds, double distanceBefore, double distanceAfter, boolean balanced,
                         List<String> notes, double seconds) {}

    private Alignment() {}

    public static Result align(Model a, Model b, Options options) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        Model bu = CanonicalForm.unteleport(b, new int[1]);
        Model au = CanonicalForm.unteleport(a, new int[1]);
        SymmetryAnalysis analysis = SpaceAnalyzer.analyze(bu);
        Map<String, NdArray> paired = ParameterPairing.pair(bu, au);
        Model target = bu.withGraph(bu.graph().withParameters(paired));
        SymmetryAnalysis positive = CanonicalForm.positiveOnly(analysis);
        GroupElement balanceB = GroupElement.identity();
        GroupElement balanceA = GroupElement.identity();
        Model startB = bu;
        Model startA = target;
        boolean balanced = false;
        if (!Boolean.getBoolean("orbit.debug.nobalance") && positive.spaces().stream().anyMatch(s -> s.scaling() != dev.orbit.symmetry.Scaling.NONE)) {
            try {
                BalancedPoint pb = BalancedPoint.of(bu, positive);
                BalancedPoint pa = BalancedPoint.of(target, positive);
                balanceB = pb.element();
                balanceA = pa.element();
                startB = pb.model();
                startA = pa.model();
                balanced = true;
            } catch (ArithmeticException e) {
                notes.add("balancing skipped: " + e.getMessage());
            }
        }
        Map<String, Tensor64> work = floats(startB);
        Map<String, Tensor64> goal = floats(startA);
        for (var e : work.entrySet()) goal.putIfAbsent(e.getKey(), e.getValue().copy());
        long ta = System.nanoTime();
        Map<Integer, int[]> given = options.method() == Method.ACTIVATIONS
                ? ActivationMatching.permutations(analysis, bu, target, options.data(), options.singleProducts(), notes) : Map.of();
        double activationSeconds = (System.nanoTime() - ta) / 1e9;
        Aligner aligner = new Aligner(analysis, work, false);
        AlignmentDecider decider = new AlignmentDecider(goal, given, options.singleProducts());
        aligner.run(decider);
        notes.addAll(aligner.notes);
        List<Double> sweepSeconds = new ArrayList<>();
        List<Integer> coordinates = aligner.channelClasses();
        if (options.method() == Method.WEIGHTS) {
            // a class's similarity reads only the parameters it touches: re-solve it only when another class has moved
            // one of them since its last solve (its own placement leaves its assignment at the identity)
            Map<String, Integer> version = new java.util.HashMap<>();
            Map<Integer, Map<String, Integer>> seen = new java.util.HashMap<>();
            boolean changed = true;
            while (changed && sweepSeconds.size() < options.maxSweeps()) {
                long t0 = System.nanoTime();
                changed = false;
                for (int c : coordinates) {
                    List<Aligner.Feature> features = aligner.allFeatures(c);
                    Map<String, Integer> now = new java.util.HashMap<>();
                    for (Aligner.Feature f : features) now.put(f.touch().parameter(), version.getOrDefault(f.touch().parameter(), 0));
                    if (now.equals(seen.get(c))) continue;
                    int[] p = decider.assign(aligner.work, c, aligner.spacesOf(c).getFirst(), features);
                    boolean identity = true;
                    for (int j = 0; j < p.length && identity; j++) identity = p[j] == j;
                    if (!identity) {
                        aligner.place(c, p);
                        changed = true;
                        for (String param : now.keySet()) {
                            version.merge(param, 1, Integer::sum);
                            now.put(param, version.get(param));
                        }
                    }
                    seen.put(c, now);
                }
                sweepSeconds.add((System.nanoTime() - t0) / 1e9);
            }
            if (changed) notes.add("coordinate descent stopped at " + options.maxSweeps() + " sweeps while still moving");
        }
        GroupElement match = aligner.element();
        GroupElement total = balanceA.inverse(analysis).after(match.after(balanceB, analysis), analysis);
        Model aligned = OrbitAction.apply(bu, analysis, total);
        return new Result(aligned, bu, analysis, total, options.method(), coordinates.size(), sweepSeconds.size(), sweepSeconds,
                decider.productSeconds, decider.solverSeconds, activationSeconds, distance(bu, target, paired.keySet()),
                distance(aligned, target, paired.keySet()), balanced, notes, (System.nanoTime() - start) / 1e9);
    }

    /** ‖x − y‖/‖y‖ over the named parameters (float64). */
    static double distance(Model x, Model y, java.util.Set<String> names) {
        double num = 0;
        double den = 0;
        for (String n : names) {
            double[] u = x.graph().parameter(n).toDoubleArray();
            double[] v = y.graph().parameter(n).toDoubleArray();
            for (int i = 0; i < u.length; i++) {
                num += (u[i] - v[i]) * (u[i] - v[i]);
                den += v[i] * v[i];
            }
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    private static Map<String, Tensor64> floats(Model m) {
        Map<String, Tensor64> out = new LinkedHashMap<>();
        for (var e : m.graph().parameters().entrySet()) if (e.getValue().dtype().isFloating()) out.put(e.getKey(), Tensor64.of(e.getValue()));
        return out;
    }
}
