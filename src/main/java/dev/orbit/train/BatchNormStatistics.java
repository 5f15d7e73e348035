package dev.orbit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;

/**
 * Running statistics of BatchNormalization during training, with ONNX's convention: running = running·m +
 * batch·(1 − m), m = the node's {@code momentum} (default 0.9; PyTorch exports 1 − its momentum). The batch
 * variance is unbiased, as PyTorch keeps it.
 */
final class BatchNormStatistics {
    record Site(String input, String mean, String var, double momentum) {}

    private final List<Site> sites = new ArrayList<>();

    BatchNormStatistics(Graph g) {
        for (Node n : g.nodes()) {
            if (!n.opType().equals("BatchNormalization") || n.inputs().size() < 5) continue;
            if (!g.isParameter(n.input(3)) || !g.isParameter(n.input(4))) continue;
            sites.add(new Site(n.input(0), n.input(3), n.input(4), n.attributes().getFloat("momentum", 0.9f)));
        }
    }

    /** Running mean and variance are state, not trainable parameters. */
    boolean isState(String param) {
        return sites.stream().anyMatch(s -> s.mean().equals(param) || s.var().equals(param));
    }

    /** Updates the state tensors in place from the values of one training forward pass. */
    void update(Map<String, Tensor> values, Map<String, Tensor> state) {
        if (sites.isEmpty()) return;
        try (NoGradGuard ng = new NoGradGuard()) {
            for (Site s : sites) {
                Tensor x = values.get(s.input()).detach();
                long[] axes = new long[(int) x.dim() - 1];
                axes[0] = 0;
                for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
                Tensor mean = torch.mean(x, axes, false, new org.bytedeco.pytorch.ScalarTypeOptional());
                Tensor var = torch.var(x, axes, true, false);
                state.get(s.mean()).mul_(new Scalar(s.momentum())).add_(mean, new Scalar(1 - s.momentum()));
                state.get(s.var()).mul_(new Scalar(s.momentum())).add_(var, new Scalar(1 - s.momentum()));
            }
        }
    }

    boolean isEmpty() { return sites.isEmpty(); }
}
