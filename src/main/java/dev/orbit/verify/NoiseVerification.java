package dev.orbit.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.orbit.tensor.NdArray;

/** Judges float32 outputs under a {@link NoiseRule}: each output's own and moved error against the float64 reference. */
final class NoiseVerification {
    /** Below this scale an output is reported as close to zero (its relative errors measure little). */
    static final double SMALL_SCALE = 1e-4;
    /** An output whose values spread over less than this fraction of its scale is nearly constant (saturated). */
    static final double NARROW_SPREAD = 1e-3;

    private NoiseVerification() {}

    static VerifyReport report(String refLabel, String candLabel, Map<String, NdArray> reference, Map<String, NdArray> own,
                               Map<String, NdArray> moved, Map<String, NdArray> feeds, String inputs, NoiseRule rule) {
        List<OutputComparison> outs = new ArrayList<>();
        List<NoiseCheck> checks = new ArrayList<>();
        double largestAllowed = 0;
        for (var e : reference.entrySet()) {
            String name = e.getKey();
            NdArray ref = e.getValue();
            NdArray a = own.get(name);
            NdArray b = moved.get(name);
            if (a == null || b == null) {
                throw new VerificationException("output '" + name + "' of the reference is missing from " + (a == null ? "the original's" : "the candidate's")
                        + " float32 run (outputs: " + (a == null ? own : moved).keySet() + ")");
            }
            OutputComparison ownCmp = OutputComparison.of(name, ref, a);
            OutputComparison movedCmp = OutputComparison.of(name, ref, b);
            outs.add(movedCmp);
            NoiseCheck c = NoiseCheck.of(name, ownCmp.maxRelError(), movedCmp.maxRelError(), rule, degenerate(ref, ownCmp.maxRelError()));
            boolean finite = movedCmp.shapesMatch() && movedCmp.nonFiniteA() == movedCmp.nonFiniteB();
            if (!finite) c = new NoiseCheck(c.output(), c.ownError(), c.movedError(), c.ratio(), c.allowed(), false, c.degenerate());
            checks.add(c);
            largestAllowed = Math.max(largestAllowed, c.allowed());
        }
        long samples = feeds.values().stream().findFirst().map(x -> x.rank() == 0 ? 1 : x.dim(0)).orElse(0L);
        boolean passed = checks.stream().allMatch(NoiseCheck::passed);
        String text = String.format("every output's error <= k x the original's own float32 error + floor (k = %s, floor = %.1e)",
                rule.factor() == Math.rint(rule.factor()) ? Long.toString((long) rule.factor()) : Double.toString(rule.factor()), rule.floor());
        return new VerifyReport(refLabel, candLabel, inputs, samples, largestAllowed, VerifyReport.SCALE_RULE, outs, passed, checks, text);
    }

    /** Whether every sample (axis 0) of an output holds the same values, up to 1e-12 of its scale. */
    private static boolean sameForEverySample(NdArray ref, double[] v, double scale) {
        if (ref.rank() == 0 || ref.dim(0) < 2 || v.length == 0) return false;
        int per = Math.toIntExact(v.length / ref.dim(0));
        for (int i = per; i < v.length; i++) if (!(Math.abs(v[i] - v[i % per]) <= 1e-12 * scale)) return false;
        return true;
    }

    /** Why an output is near-degenerate, or "" when it is not. */
    static String degenerate(NdArray ref, double ownError) {
        double[] v = ref.toDoubleArray();
        double scale = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (!Double.isFinite(x)) continue;
            scale = Math.max(scale, Math.abs(x));
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        List<String> why = new ArrayList<>();
        if (scale < SMALL_SCALE) why.add(String.format("scale %.1e is close to zero", scale));
        if (v.length > 1 && scale > 0 && hi - lo <= NARROW_SPREAD * scale) why.add(String.format("nearly constant (spread %.1e of scale %.1e): a saturated map?", hi - lo, scale));
        if (sameForEverySample(ref, v, scale)) why.add("the same for every input sample (it does not depend on the input)");
        if (ownError == 0) why.add("float32 reproduces it exactly, so only the floor bounds the move");
        return String.join("; ", why);
    }
}
