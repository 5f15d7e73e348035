package dev.orbit.ops.activation;

import static dev.orbit.ops.OpCheck.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.cli.OrbitCommand;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.Activation;
import dev.orbit.ops.OpCheck;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.GradientCheck;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/** Mish, added as one class: evaluation, gradients, symmetry, training and the kernel come with it. */
class MishTest {
    @TempDir
    Path tmp;

    @Test
    void evaluatesAsOnnxRuntimeDoes() {
        OpCheck.node("Mish").input("x", randn(3, 4, 7)).opset(18).symbolicBatch().check();
    }

    @Test
    void phiAndDerivativeAgreeWithTheTensorsAndAutograd() {
        Activation a = StandardOps.registry().activation("mish");
        double[] xs = {-20, -6, -2.5, -0.3, 0, 0.7, 3, 8, 30};
        try (PointerScope scope = new PointerScope()) {
            Tensor x = NdArray.ofDoubles(xs, xs.length).toTorch();
            double[] y = NdArray.fromTorch(a.apply(x)).toDoubleArray();
            double[] d = NdArray.fromTorch(a.derivative(x)).toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(a.phi(xs[i]), y[i], 1e-14 * Math.max(1, Math.abs(y[i])), "φ at " + xs[i]);
                assertEquals(a.derivative(xs[i]), d[i], 1e-13, "φ′ at " + xs[i]);
            }
        }
        assertEquals(Math.sqrt(2), a.gain());
    }

    @Test
    void autogradThroughTheEvaluatorMatchesFiniteDifferences() {
        NdArray x = NdArray.ofDoubles(new double[] {-3.1, -0.8, -0.05, 0.02, 0.6, 1.9, 4.2, -1.4}, 2, 4);
        Model m = OpCheck.node("Mish").input("x", x).opset(18).model();
        GradientCheck c = new GradientCheck(m, Map.of("x", x), 5);
        c.checkGradient();
        c.checkHessianVector();
        c.checkGradNormGradient();
    }

    @Test
    void teleportsAsARewrittenActivationAndStaysTheSameFunction() {
        Model m = OpCheck.graph(
                        new Node("fc1", "Gemm", List.of("x", "w1", "b1"), List.of("h"), Attributes.NONE),
                        new Node("act", "Mish", List.of("h"), List.of("a"), Attributes.NONE),
                        new Node("fc2", "Gemm", List.of("a", "w2"), List.of("y"), Attributes.NONE))
                .feed("x", randn(1, 6, 5)).constant("w1", randn(2, 5, 8)).constant("b1", randn(3, 8))
                .constant("w2", randn(4, 8, 3)).output("y").opset(18).symbolicBatch().model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        assertEquals(1, a.regions().size());
        assertEquals(Scaling.NONZERO, a.freeSpaces().getFirst().scaling());
        Model moved = OrbitAction.apply(m, a, Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), 11));
        assertEquals(2, moved.graph().nodes().stream().filter(Node::isRewrite).count(), "τ·mish(x/τ)");
        VerifyReport r = Verifier.compareInOrt(m, "original", moved, "moved", Map.of("x", randn(9, 16, 5)), "random", 1e-5);
        assertTrue(r.passed() && !r.hasNonFinite(), "max rel error " + r.worstRelError());
    }

    @Test
    void trainsTeleportsAndHasAKernelFromTheCommandLine() {
        Path model = tmp.resolve("mish.onnx");
        assertEquals(0, OrbitCommand.execute("train", "--arch", "mlp:784-16-10:mish", "--epochs", "1", "--train-samples", "256",
                "-o", model.toString(), "--quiet"));
        assertEquals(0, OrbitCommand.execute("teleport", model.toString(), "-o", tmp.resolve("moved.onnx").toString(),
                "--sampling", "INTER", "--cob-range", "0.9", "--permute"));
        StringWriter out = new StringWriter();
        var cl = OrbitCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("kernel", "--arch", "mlp:784-10-10", "--activation", "mish", "--train", "20", "--test", "10",
                "--quadrature", "6", "--json"));
        assertTrue(out.toString().contains("mish (Gauss–Hermite quadrature, order 6)"), out.toString());
    }
}
