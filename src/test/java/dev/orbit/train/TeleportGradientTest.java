package dev.orbit.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.orbit.bench.EvaluatorBench;
import dev.orbit.graph.Model;
import dev.orbit.io.idx.MnistData;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;

/**
 * Gradients transform contragrediently under a move: ∇L at g·θ equals the dual move of ∇L at θ (÷τ where the
 * weights got ×τ). That is the rule SGD momentum follows through a teleportation; here it is checked against
 * autograd at the teleported point, and {@link Trainer#teleport} is checked to apply it to the buffers.
 */
class TeleportGradientTest {
    @ParameterizedTest
    @EnumSource(value = Sampling.Kind.class, names = {"INTRA", "INTER"})
    void momentumMovesLikeTheGradient(Sampling.Kind kind) {
        Model m = EvaluatorBench.mlp(new long[] {784, 32, 16, 10}, 5);
        var a = SpaceAnalyzer.analyze(m);
        var g = Sampling.both(a, new Sampling.Cob(kind, 0.5, 0), 9);
        try (var data = Batches.of(MnistData.bundled(MnistData.Split.TEST).head(64));
             var before = new TrainableModel(m);
             var after = new TrainableModel(OrbitAction.apply(m, a, g))) {
            Map<String, NdArray> g0 = gradients(before, data);
            Map<String, NdArray> expected = OrbitAction.moveGradients(g0, a, g);
            Map<String, NdArray> actual = gradients(after, data);
            for (String name : g0.keySet()) {
                double err = relDiff(expected.get(name), actual.get(name));
                assertTrue(err < 1e-4, name + ": moved gradient differs from the gradient at the moved point by " + err);
            }
            // the trainer moves SGD momentum with the same rule
            try (var opt = new Optimizer.Sgd(0.9, false, 0)) {
                Map<String, Tensor> grads = new LinkedHashMap<>();
                for (var e : g0.entrySet()) grads.put(e.getKey(), e.getValue().toTorch());
                opt.step(before.parameters(), grads, 0.0);
                Map<String, NdArray> buffers = new LinkedHashMap<>();
                opt.gradientLikeState().forEach((k, v) -> buffers.put(k, NdArray.fromTorch(v)));
                Trainer.teleport(before, opt, a, g);
                for (var e : OrbitAction.moveGradients(buffers, a, g).entrySet()) {
                    double err = relDiff(e.getValue(), NdArray.fromTorch(opt.gradientLikeState().get(e.getKey())));
                    assertTrue(err < 1e-6, e.getKey() + ": momentum not moved like a gradient (" + err + ")");
                }
            }
        }
    }

    private static Map<String, NdArray> gradients(TrainableModel model, Batches data) {
        long[] order = new long[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        try (PointerScope scope = new PointerScope()) {
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
        double scale = 0;
        double diff = 0;
        for (long i = 0; i < a.size(); i++) {
            scale = Math.max(scale, Math.abs(a.getAsDouble(i)));
            diff = Math.max(diff, Math.abs(a.getAsDouble(i) - b.getAsDouble(i)));
        }
        return diff / Math.max(scale, 1e-30);
    }
}
