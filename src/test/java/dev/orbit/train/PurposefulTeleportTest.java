package dev.orbit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orbit.Fixtures;
import dev.orbit.Inputs;
import dev.orbit.Moved;
import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.bench.EvaluatorBench;
import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.Tolerance;

/**
 * Chosen teleports (issue 19): for every objective the optimiser improves it, the element verifies in ONNX Runtime
 * against the unmoved model, and the value it reports equals the objective recomputed on the moved model (so the
 * differentiable action and the real one agree). Optimiser state moves like autograd says it must.
 */
class PurposefulTeleportTest {
    private static final MnistData DIGITS = MnistData.bundled(MnistData.Split.TEST).head(64);

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("mlp", "grad-norm"), Arguments.of("mlp", "sharpness"), Arguments.of("mlp", "trace"),
                Arguments.of("mlp", "weight-norm"), Arguments.of("mlp", "user"), Arguments.of("cnn", "grad-norm"), Arguments.of("cnn", "trace"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyObjectiveImprovesAndVerifiesInOnnxRuntime(String arch, String objectiveName) {
        Model m = arch.equals("mlp") ? EvaluatorBench.mlp(new long[] {784, 32, 16, 10}, 3)
                : NetworkBuilder.build(ArchSpec.parse("cnn:1x28x28-c4-p-c8-p-fc16-10:relu"), Initializer.parse("kaiming"), 3);
        NdArray x = arch.equals("mlp") ? DIGITS.images() : DIGITS.images().reshape(64, 1, 28, 28);
        NdArray y = NdArray.ofLongs(DIGITS.labels(), DIGITS.labels().length);
        Objective objective = objectiveName.equals("user")
                // a user's objective (the outputs are invariant, so it reads the weights): Σ over layers of ‖W‖⁴, minimised
                ? Objective.of("sum-of-layer-norms-squared", Objective.Goal.MINIMIZE, at -> at.trainable().stream().filter(w -> w.dim() >= 2)
                        .map(w -> torch.square(torch.sum(torch.square(w)))).reduce(torch::add).orElseThrow())
                : new Teleporter.Spec(objectiveName, 0, 8, objectiveName.equals("weight-norm") ? 0.01 : 0.1, 4).objective(x, y);
        Moved moved = Orbit.of(m, arch).move(Moves.optimise(objective).steps(8).lr(objectiveName.equals("weight-norm") ? 0.01 : 0.1));
        double before = (double) moved.facts().get("objective_before");
        double after = (double) moved.facts().get("objective_after");
        boolean up = objective.goal() == Objective.Goal.MAXIMIZE;
        assertTrue(up ? after > before * 1.001 : after < before * 0.999, objectiveName + ": " + before + " → " + after);
        var report = moved.verify(Inputs.of(Map.of(m.graph().inputs().getFirst().name(), x), "64 digits"), Tolerance.MOVE);
        assertTrue(report.passedAndFinite(), report.toText());
        // the optimiser's value at its end point is the objective of the moved model (float32 rounding of the weights aside)
        SymmetryAnalysis a = SpaceAnalyzer.analyze(moved.network().ir());
        double recomputed = OrbitOptimizer.optimise(moved.network().ir(), a, objective, new OrbitOptimizer.Config(0, 0.1, TrustRegion.DEFAULT)).before();
        double tol = objectiveName.equals("sharpness") ? 1e-3 : 1e-4; // power iteration restarts from its fixed vector
        assertEquals(after, recomputed, tol * Math.abs(after), objectiveName + ": the differentiable action and the real one disagree");
    }

    @Test
    void gradientNormAscentStaysInsideTheTrustRegion() {
        Model m = EvaluatorBench.mlp(new long[] {784, 32, 16, 10}, 4);
        NdArray y = NdArray.ofLongs(DIGITS.labels(), DIGITS.labels().length);
        var r = OrbitOptimizer.optimise(m, SpaceAnalyzer.analyze(m), Objective.gradientNorm(DIGITS.images(), y, new Loss.CrossEntropy()),
                new OrbitOptimizer.Config(30, 1.0, TrustRegion.factor(2)));
        assertTrue(r.after() > r.before(), r.toString());
        assertTrue(r.maxLogScale() <= Math.log(2) + 1e-12, "left the trust region: " + r.maxLogScale());
        for (double[] t : r.element().scales().values()) for (double v : t) assertTrue(v >= 0.5 - 1e-12 && v <= 2 + 1e-12, "factor " + v);
    }

    @Test
    void attentionPairsMoveByExpOfTheirAlgebraAndVerify() {
        var f = Fixtures.get("transformer_encoder");
        var model = Orbit.load(f.onnx());
        Moved moved = model.move(Moves.optimise(Objective.weightNorm(), TrustRegion.DEFAULT.withCondition(5)).steps(10).lr(0.01));
        assertTrue((long) moved.facts().get("coordinates") > 0);
        assertTrue((double) moved.facts().get("objective_after") < (double) moved.facts().get("objective_before"), moved.description());
        assertTrue(moved.element().toJson().contains("pair"), "no attention pair moved: " + moved.element().toJson());
        var report = moved.verify(Inputs.of(Map.of(model.ir().graph().inputs().getFirst().name(), f.input()), "fixture input"));
        assertTrue(report.passedAndFinite(), report.toText());
    }

    /**
     * Adam's moments and AdaGrad's sum, moved by the element, equal the state the same steps would have built from the
     * gradients autograd gives at the moved point: m ÷ τ, v ÷ τ², permuted alike.
     */
    @Test
    void adaptiveStateMovesLikeGradientsAndTheirSquares() {
        Model m = EvaluatorBench.mlp(new long[] {784, 32, 16, 10}, 5);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTRA, 0.5, 0), 9);
        Model moved = OrbitAction.apply(m, a, g);
        try (var before = new TrainableModel(m); var after = new TrainableModel(moved)) {
            Map<String, NdArray> g0 = gradients(before);
            Map<String, NdArray> g1 = gradients(after);
            try (var adam = new Optimizer.Adam(0.9, 0.999, 1e-8, 0); var fresh = new Optimizer.Adam(0.9, 0.999, 1e-8, 0);
                 var ada = new Optimizer.AdaGrad(1e-10, 0, 0); var freshAda = new Optimizer.AdaGrad(1e-10, 0, 0)) {
                for (Optimizer o : List.of(adam, ada)) o.step(copies(before.parameters()), torch(g0), 0.0);
                for (Optimizer o : List.of(fresh, freshAda)) o.step(copies(after.parameters()), torch(g1), 0.0);
                adam.teleport(a, g);
                ada.teleport(a, g);
                compare(fresh.gradientLikeState(), adam.gradientLikeState(), "Adam m");
                compare(fresh.squaredState(), adam.squaredState(), "Adam v");
                compare(freshAda.squaredState(), ada.squaredState(), "AdaGrad sum");
            }
        }
    }

    private static void compare(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            double err = relDiff(NdArray.fromTorch(expected.get(k)), NdArray.fromTorch(actual.get(k)));
            assertTrue(err < 1e-4, what + " of " + k + ": moved state differs from the state at the moved point by " + err);
        }
    }

    private static Map<String, Tensor> copies(Map<String, Tensor> p) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        p.forEach((k, v) -> out.put(k, v.detach().clone()));
        return out;
    }

    private static Map<String, Tensor> torch(Map<String, NdArray> g) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        g.forEach((k, v) -> out.put(k, v.toTorch()));
        return out;
    }

    private static Map<String, NdArray> gradients(TrainableModel model) {
        try (var data = Batches.of(DIGITS); PointerScope scope = new PointerScope()) {
            long[] order = new long[data.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Tensor[] xy = data.batch(order, 0, data.size());
            Tensor loss = new Loss.CrossEntropy().compute(model.forwardOne(xy[0], true), xy[1]);
            List<Tensor> grads = Gradients.grad(loss, model.parameterList(), false);
            Map<String, NdArray> out = new LinkedHashMap<>();
            int i = 0;
            for (String name : model.parameters().keySet()) out.put(name, NdArray.fromTorch(grads.get(i++)));
            return out;
        }
    }

    /** max|a−b| / max|a|. */
    private static double relDiff(NdArray a, NdArray b) {
        double scale = 0, diff = 0;
        for (long i = 0; i < a.size(); i++) {
            scale = Math.max(scale, Math.abs(a.getAsDouble(i)));
            diff = Math.max(diff, Math.abs(a.getAsDouble(i) - b.getAsDouble(i)));
        }
        return diff / Math.max(scale, 1e-30);
    }
}
