package dev.orbit.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.quant.DepthwiseNets;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/** Positive per-channel factors through ReLU6: Clip becomes Max/Min with per-channel bounds, no Mul pair, exact in ORT. */
class BoundScalingTest {
    @Test
    void positiveFactorsTurnClipIntoPerChannelMaxMin() {
        Model m = DepthwiseNets.convClipConv(1);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Model moved = OrbitAction.apply(m, a, scaleAll(a, 0.05, 20, 3));
        assertEquals(0, count(moved, "Clip"));
        assertEquals(0, count(moved, "Mul"), "positive factors need no τ·f(x/τ) Mul pair");
        assertEquals(1, count(moved, "Max"));
        assertEquals(1, count(moved, "Min"));
        Node min = moved.graph().nodes().stream().filter(n -> n.opType().equals("Min")).findFirst().orElseThrow();
        assertEquals(6, moved.graph().parameter(min.input(1)).size(), "one bound per channel: 6·τᵢ");
        assertFalse(moved.graph().parameters().containsKey("relu6.max"), "the unused scalar bound is dropped");
        assertPreserved(m, moved);

        // moving the moved model again scales the per-channel bounds it now has
        SymmetryAnalysis a2 = SpaceAnalyzer.analyze(moved);
        Model twice = OrbitAction.apply(moved, a2, scaleAll(a2, 0.2, 5, 4));
        assertEquals(0, count(twice, "Mul"));
        assertEquals(1, count(twice, "Min"));
        assertPreserved(m, twice);
    }

    @Test
    void negativeFactorsStillTakeTheRewrite() {
        Model m = DepthwiseNets.convClipConv(2);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Model moved = OrbitAction.apply(m, a, scaleAll(a, -2, -0.5, 5));
        assertEquals(1, count(moved, "Clip"));
        assertEquals(2, count(moved, "Mul"));
        assertPreserved(m, moved);
    }

    @Test
    void clipWithAttributesAtOpset9AndBatchNorm() {
        Model m = DepthwiseNets.mobileBlockOpset9(3, 30);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Model moved = OrbitAction.apply(m, a, scaleAll(a, 0.1, 10, 6));
        assertEquals(0, count(moved, "Clip"));
        assertEquals(0, count(moved, "Mul"));
        assertEquals(3, count(moved, "Min"));
        assertPreserved(m, moved);
    }

    /** Every scalable space of the model scaled by log-uniform factors in [lo, hi] (same sign). */
    private static GroupElement scaleAll(SymmetryAnalysis a, double lo, double hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<Integer, double[]> scales = new HashMap<>();
        for (NeuronSpace s : a.spaces()) {
            if (s.scaling() == Scaling.NONE || lo < 0 && s.scaling() != Scaling.NONZERO) continue;
            double[] t = new double[Math.toIntExact(s.size())];
            for (int i = 0; i < t.length; i++) {
                double mag = Math.exp(Math.log(Math.abs(lo)) + r.nextDouble() * (Math.log(Math.abs(hi)) - Math.log(Math.abs(lo))));
                t[i] = lo < 0 ? -mag : mag;
            }
            scales.put(s.id(), t);
        }
        assertFalse(scales.isEmpty());
        return new GroupElement(Map.of(), scales);
    }

    private static void assertPreserved(Model original, Model moved) {
        var feeds = InputFactory.make(original, new InputSpec.Random(16, InputSpec.Distribution.NORMAL, 7), Map.of());
        VerifyReport r = Verifier.compareInOrt(original, "original", moved, "moved", feeds, "random", NoiseRule.MOVE);
        assertTrue(r.passed(), r.toText());
    }

    private static long count(Model m, String op) { return m.graph().nodes().stream().filter(n -> n.opType().equals(op)).count(); }
}
