package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.Verifier;

/** The balanced point: same function, equal in/out norms per neuron, and the same point from anywhere on the orbit. */
class BalancedPointTest {
    static final Model BUNDLED = OnnxImporter.read(Path.of("src/main/resources/models/mnist_mlp.onnx"));

    @Test
    void balancedModelComputesTheSameFunctionWithEqualNeuronNorms() {
        var a = SpaceAnalyzer.analyze(BUNDLED);
        BalancedPoint b = BalancedPoint.of(BUNDLED, a);
        assertEquals(2, b.scaledSpaces());
        assertTrue(b.maxImbalance() < 1e-10, "imbalance " + b.maxImbalance());
        assertTrue(b.normAfter() < b.normBefore(), b.toString());
        var feeds = InputFactory.make(BUNDLED, new InputSpec.Random(32, InputSpec.Distribution.NORMAL, 3), Map.of());
        var check = Verifier.compareInOrt(BUNDLED, "original", b.model(), "balanced", feeds, "random", 1e-5);
        assertTrue(check.passed(), check.toString());
        // recomputed from the balanced model's float32 tensors, independently of the balancing code
        var p = b.model().graph().parameters();
        double[] in1 = rowNorms(p.get("fc1.weight"), p.get("fc1.bias")), out1 = columnNorms(p.get("fc2.weight"));
        double[] in2 = rowNorms(p.get("fc2.weight"), p.get("fc2.bias")), out2 = columnNorms(p.get("fc3.weight"));
        for (int j = 0; j < in1.length; j++) assertEquals(in1[j], out1[j], 1e-5 * (in1[j] + out1[j]), "fc1 neuron " + j);
        for (int j = 0; j < in2.length; j++) assertEquals(in2[j], out2[j], 1e-5 * (in2[j] + out2[j]), "fc2 neuron " + j);
    }

    @Test
    void everyPointOfTheScalingOrbitBalancesToTheSameModel() {
        var a = SpaceAnalyzer.analyze(BUNDLED);
        Model reference = BalancedPoint.of(BUNDLED, a).model();
        for (long seed = 1; seed <= 3; seed++) {
            Model moved = OrbitAction.apply(BUNDLED, a, Sampling.scales(a, new Sampling.Cob(Sampling.Kind.INTRA, 0.9, 1), seed));
            Model balanced = BalancedPoint.of(moved, SpaceAnalyzer.analyze(moved)).model();
            double worst = 0;
            for (var e : reference.graph().parameters().entrySet()) {
                NdArray x = e.getValue(), y = balanced.graph().parameter(e.getKey());
                double scale = 0;
                for (long i = 0; i < x.size(); i++) scale = Math.max(scale, Math.abs(x.getAsDouble(i)));
                for (long i = 0; i < x.size(); i++) worst = Math.max(worst, Math.abs(x.getAsDouble(i) - y.getAsDouble(i)) / scale);
            }
            // the teleport and the balancing each round to float32 once
            assertTrue(worst < 1e-6, "seed " + seed + ": balanced weights differ by " + worst);
        }
    }

    @Test
    void noOtherPointOfTheOrbitHasASmallerNorm() {
        var a = SpaceAnalyzer.analyze(BUNDLED);
        BalancedPoint b = BalancedPoint.of(BUNDLED, a);
        var ab = SpaceAnalyzer.analyze(b.model());
        for (long seed = 1; seed <= 5; seed++) {
            for (double r : new double[] {0.01, 0.3}) {
                Model near = OrbitAction.apply(b.model(), ab, Sampling.scales(ab, new Sampling.Cob(Sampling.Kind.INTRA, r, 1), seed));
                assertTrue(BalancedPoint.of(near, SpaceAnalyzer.analyze(near)).normBefore() > b.normAfter(), "r = " + r);
            }
        }
    }

    static double[] rowNorms(NdArray w, NdArray bias) {
        int rows = (int) w.dim(0), cols = (int) w.dim(1);
        double[] n = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) n[i] += Math.pow(w.getAsDouble((long) i * cols + j), 2);
            n[i] += Math.pow(bias.getAsDouble(i), 2);
        }
        return n;
    }

    static double[] columnNorms(NdArray w) {
        int rows = (int) w.dim(0), cols = (int) w.dim(1);
        double[] n = new double[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) n[j] += Math.pow(w.getAsDouble((long) i * cols + j), 2);
        return n;
    }
}
