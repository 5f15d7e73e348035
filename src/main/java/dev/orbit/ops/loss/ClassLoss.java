package dev.orbit.ops.loss;

import static org.bytedeco.pytorch.global.torch.eq;
import static org.bytedeco.pytorch.global.torch.gather;
import static org.bytedeco.pytorch.global.torch.where;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.SpaceRules;

/**
 * The negative log-likelihood both losses share: for log-probabilities x [N, C, d…] and class indices t [N, d…],
 * loss = −x[n, t, d…] · w[t], 0 where t is {@code ignore_index}; reduced by {@code reduction}: "none", "sum", or
 * "mean" (the sum over the sum of the weights of the targets not ignored). Gather and index_select keep it
 * differentiable in x and w.
 */
final class ClassLoss {
    private ClassLoss() {}

    static Tensor negativeLogLikelihood(Node node, Tensor x, Tensor target, Tensor weight) {
        if (x.dim() < 2 || target.dim() != x.dim() - 1) {
            throw new ModelFormatException(node.opType() + " node '" + node.label() + "': input of rank " + x.dim()
                    + " and target of rank " + target.dim() + " are not [N, C, d…] and [N, d…]");
        }
        Tensor t = target.to(ScalarType.Long);
        boolean ignoring = node.attributes().has("ignore_index");
        Tensor kept = null;
        if (ignoring) {
            Tensor ignored = eq(t, new Scalar(node.attributes().getInt("ignore_index", 0)));
            t = where(ignored, torch.zeros_like(t), t);
            kept = ignored.logical_not().to(x.scalar_type());
        }
        Tensor picked = gather(x, 1, t.unsqueeze(1)).squeeze(1);
        Tensor w = weight == null ? null : weight.index_select(0, t.reshape(-1)).reshape(t.sizes());
        if (kept != null) w = w == null ? kept : w.mul(kept);
        Tensor loss = w == null ? picked.neg() : picked.mul(w).neg();
        return switch (node.attributes().getString("reduction", "mean")) {
            case "none" -> loss;
            case "sum" -> loss.sum();
            case "mean" -> w == null ? loss.mean() : loss.sum().div(w.sum());
            case String r -> throw new ModelFormatException(node.opType() + " node '" + node.label() + "': reduction '" + r
                    + "' is not none, sum or mean");
        };
    }

    /** The loss' type: the input's element type, the target's shape without a reduction, else a scalar. */
    static ValueType type(Node node, ValueType x, ValueType target) {
        if (node.attributes().getString("reduction", "mean").equals("none")) {
            if (target != null && target.shape() != null) return new ValueType(x.dtype(), target.shape());
            if (x.shape() == null) return ValueType.unknown(x.dtype());
            List<Dim> dims = new ArrayList<>(x.shape().dims());
            dims.remove(1);
            return new ValueType(x.dtype(), new Shape(dims));
        }
        return new ValueType(x.dtype(), Shape.of(new long[0]));
    }

    /**
     * A class index reads one entry along the channel axis: permuting classes changes which score it picks, and a
     * class's scores have no scale to trade (the loss is not homogeneous).
     */
    static void freeze(Node node, SpaceRules rules) {
        rules.freezeInputs(node, SpaceRules.label(node) + ": the target picks classes by index along the channel axis,"
                + " so neither a permutation nor a rescaling of the scores leaves the loss unchanged");
    }
}
