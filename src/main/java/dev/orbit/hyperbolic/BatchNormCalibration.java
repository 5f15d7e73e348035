package dev.orbit.hyperbolic;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.NdArray;

/**
 * Sets every BatchNormalization's running mean and variance to the exact statistics of its input over a sample,
 * with the final weights. Length products sum hundreds of distances, so their outputs carry a large offset that
 * moves with every step; running averages then lag behind by several standard deviations and inference breaks,
 * although training (batch statistics) is fine. Recalibrating after training removes the lag.
 */
public final class BatchNormCalibration {
    private BatchNormCalibration() {}

    public static Model recalibrate(Model model, NdArray sample) {
        Graph g = model.graph();
        Map<String, NdArray> replaced = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            Map<String, Tensor> params = new LinkedHashMap<>();
            for (var e : g.parameters().entrySet()) params.put(e.getKey(), e.getValue().toTorch());
            // training mode normalises with the statistics of this very sample, layer after layer
            Map<String, Tensor> values = new Evaluator(model).forwardAll(Map.of(g.inputs().getFirst().name(), sample.toTorch()), params);
            for (Node n : g.nodes()) {
                if (!n.opType().equals("BatchNormalization") || !g.isParameter(n.input(3)) || !g.isParameter(n.input(4))) continue;
                Tensor x = values.get(n.input(0));
                long[] axes = new long[(int) x.dim() - 1];
                for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
                Tensor mean = org.bytedeco.pytorch.global.torch.mean(x, axes, false, new org.bytedeco.pytorch.ScalarTypeOptional());
                Tensor var = org.bytedeco.pytorch.global.torch.var(x, axes, false, false);
                replaced.put(n.input(3), Precision.convert(NdArray.fromTorch(mean), g.parameter(n.input(3)).dtype()));
                replaced.put(n.input(4), Precision.convert(NdArray.fromTorch(var), g.parameter(n.input(4)).dtype()));
            }
        }
        return model.withGraph(g.withParameters(replaced));
    }
}
