package dev.orbit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.orbit.Inputs;
import dev.orbit.Moved;
import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * The worked check of issue 19: for a two-layer linear net y = W₂W₁x the minimum-norm point of the scaling orbit has
 * a closed form. Uniformly, (W₂/t, t·W₁) has ‖·‖² = t²‖W₁‖² + ‖W₂‖²/t², smallest at t⁴ = ‖W₂‖²/‖W₁‖²; per neuron j
 * (row j of W₁ × τ_j, column j of W₂ ÷ τ_j), τ_j⁴ = ‖W₂[:, j]‖² / ‖W₁[j, :]‖². The orbit optimiser on the
 * weight-norm objective must reach both to 1e-6, and the moved model must verify in ONNX Runtime.
 */
class ClosedFormTeleportTest {
    private static final int IN = 5, HIDDEN = 6, OUT = 3;

    @Test
    void uniformScaleReachesTheClosedForm() {
        Model m = linear(11);
        double[] w1 = m.graph().parameter("w1").toDoubleArray();
        double[] w2 = m.graph().parameter("w2").toDoubleArray();
        double t = Math.pow(sumSq(w2) / sumSq(w1), 0.25);
        Moved moved = Orbit.of(m, "linear").move(Moves.optimise(Objective.weightNorm(), TrustRegion.factor(20)).steps(400).lr(0.01).perSpace());
        double[] tau = scales(moved);
        for (double v : tau) assertEquals(t, v, 1e-6 * t, "uniform factor against t = (‖W₂‖²/‖W₁‖²)^¼");
        assertTrue(Math.abs(t - 1) > 0.1, "the test net must be away from its balanced point (t = " + t + ")");
        verified(moved);
    }

    @Test
    void perNeuronScalesReachTheirClosedForm() {
        Model m = linear(12);
        double[] w1 = m.graph().parameter("w1").toDoubleArray();   // [HIDDEN, IN]
        double[] w2 = m.graph().parameter("w2").toDoubleArray();   // [OUT, HIDDEN]
        Moved moved = Orbit.of(m, "linear").move(Moves.optimise(Objective.weightNorm(), TrustRegion.factor(20)).steps(3000).lr(0.004));
        double[] tau = scales(moved);
        double spread = 0;
        StringBuilder all = new StringBuilder(moved.facts().toString());
        for (int j = 0; j < HIDDEN; j++) {
            double a = 0, b = 0;
            for (int i = 0; i < IN; i++) a += w1[j * IN + i] * w1[j * IN + i];
            for (int o = 0; o < OUT; o++) b += w2[o * HIDDEN + j] * w2[o * HIDDEN + j];
            all.append(String.format("%n  neuron %d: expected %.9f, got %.9f a %.4f b %.4f", j, Math.pow(b / a, 0.25), tau[j], a, b));
        }
        for (int j = 0; j < HIDDEN; j++) {
            double a = 0, b = 0;
            for (int i = 0; i < IN; i++) a += w1[j * IN + i] * w1[j * IN + i];
            for (int o = 0; o < OUT; o++) b += w2[o * HIDDEN + j] * w2[o * HIDDEN + j];
            double expected = Math.pow(b / a, 0.25);
            spread = Math.max(spread, Math.abs(Math.log(expected)));
            assertEquals(expected, tau[j], 1e-6 * expected, "neuron " + j + all);
        }
        assertTrue(spread > 0.1, "the neurons must start unbalanced");
        verified(moved);
    }

    private static double[] scales(Moved moved) {
        // the element file is the public form of the element: read its one scaled space back
        try {
            var scales = dev.orbit.report.Json.mapper().readTree(moved.element().toJson()).path("scales");
            assertEquals(1, scales.size(), "one hidden space: " + scales);
            var f = scales.elements().next();
            double[] out = new double[f.size()];
            for (int i = 0; i < out.length; i++) out[i] = f.get(i).asDouble();
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void verified(Moved moved) {
        var report = moved.verify(Inputs.random(16));
        assertTrue(report.passedAndFinite(), report.toText());
    }

    private static double sumSq(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return s;
    }

    /** y = W₂·(W₁·x), float32 Gemm nodes without bias; rows of W₁ drawn with different spreads so neurons start unbalanced. */
    static Model linear(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w1 = new float[HIDDEN * IN];
        float[] w2 = new float[OUT * HIDDEN];
        for (int j = 0; j < HIDDEN; j++) for (int i = 0; i < IN; i++) w1[j * IN + i] = (float) (gauss(rng) * (0.3 + 0.4 * j));
        for (int k = 0; k < w2.length; k++) w2[k] = (float) (2.5 * gauss(rng));
        Map<String, NdArray> params = new LinkedHashMap<>();
        params.put("w1", NdArray.ofFloats(w1, HIDDEN, IN));
        params.put("w2", NdArray.ofFloats(w2, OUT, HIDDEN));
        Attributes transB = Attributes.NONE.with("transB", new Attr.Int(1));
        List<Node> nodes = List.of(new Node("fc1", "Gemm", List.of("x", "w1"), List.of("h"), transB),
                new Node("fc2", "Gemm", List.of("h", "w2"), List.of("y"), transB));
        var in = new ValueInfo("x", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(IN))));
        var out = new ValueInfo("y", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(OUT))));
        return new Model(new Graph("linear", List.of(in), List.of(out), nodes, params, Map.of(), ""), Map.of("", 17L), Model.ModelInfo.orbit());
    }

    private static double gauss(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

}
