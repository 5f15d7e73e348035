package dev.orbit.symmetry;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Fixtures.Fixture;
import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/** Test helper: runs an original and a moved model in ONNX Runtime on the fixture input plus random inputs. */
final class MoveCheck {
    private MoveCheck() {}

    /** Worst relative output error (ε = output scale) between the two models in ONNX Runtime. */
    static double worstRelError(Model original, Model moved, Fixture f) {
        double worst = 0;
        for (Map<String, NdArray> feeds : inputs(original, f)) {
            NdArray a;
            NdArray b;
            try (OrtRunner r = new OrtRunner(original)) {
                a = r.run(feeds).values().iterator().next();
            }
            try (OrtRunner r = new OrtRunner(moved)) {
                b = r.run(feeds).values().iterator().next();
            }
            var cmp = OutputComparison.of("y", a, b);
            if (!cmp.shapesMatch() || cmp.nonFiniteB() > 0) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, cmp.maxRelError());
        }
        return worst;
    }

    static java.util.List<Map<String, NdArray>> inputs(Model m, Fixture f) {
        Map<String, NdArray> fixture = new LinkedHashMap<>();
        fixture.put(m.graph().inputs().getFirst().name(), f.input());
        var random = InputFactory.make(m, new InputSpec.Random(8, InputSpec.Distribution.NORMAL, 11), Map.of());
        return java.util.List.of(fixture, random);
    }

    /** max over parameters of max|a−b| / max|a| (relative to each tensor's scale). */
    static double weightDistance(Model a, Model b) {
        double worst = 0;
        for (var e : a.graph().parameters().entrySet()) {
            NdArray x = e.getValue();
            NdArray y = b.graph().parameter(e.getKey());
            if (y == null) return Double.POSITIVE_INFINITY;
            if (!x.dtype().isFloating()) continue;
            double scale = 0;
            double diff = 0;
            for (long i = 0; i < x.size(); i++) {
                scale = Math.max(scale, Math.abs(x.getAsDouble(i)));
                diff = Math.max(diff, Math.abs(x.getAsDouble(i) - y.getAsDouble(i)));
            }
            worst = Math.max(worst, scale == 0 ? diff : diff / scale);
        }
        return worst;
    }
}
