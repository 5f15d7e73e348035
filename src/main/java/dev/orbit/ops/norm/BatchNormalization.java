package dev.orbit.ops.norm;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.batch_norm;
import static org.bytedeco.pytorch.global.torch.mul;

import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.Role;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.UnsupportedOpException;

/**
 * BatchNormalization: inference with the running statistics; batch statistics while training or with
 * training_mode=1 (then the optional running-statistics outputs too). Epsilon defaults to 1e-5.
 */
public final class BatchNormalization implements Op {
    @Override
    public String opType() { return "BatchNormalization"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        ValueType y = new ValueType(x.dtype(), x.shape());
        if (rank < 2) throw OpSupport.shapeError(node, "input X must be N×C×…, got " + x.shape());
        for (int i = 1; i <= 4; i++) ChannelParameters.check(node, ctx, i, x.shape().dim(1));
        ValueType c = new ValueType(x.dtype(), Shape.of(x.shape().dim(1)));
        return node.outputs().size() == 1 ? List.of(y) : List.of(y, c, c);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        double eps = node.attributes().getFloat("epsilon", 1e-5f);
        return batchNorm(node, ctx, x, eps);
    }

    private static List<Tensor> batchNorm(Node node, EvalContext ctx, Tensor x, double eps) {
        Tensor scale = ctx.require(node, 1);
        Tensor bias = ctx.require(node, 2);
        Tensor mean = ctx.require(node, 3);
        Tensor var = ctx.require(node, 4);
        if (node.attributes().getInt("spatial", 1) == 0) {
            throw new UnsupportedOpException("BatchNormalization node '" + node.label()
                    + "': spatial=0 (per-activation statistics, opset < 9) is not supported");
        }
        boolean batchStats = ctx.training() || node.attributes().getInt("training_mode", 0) != 0;
        if (!batchStats) {
            return OpSupport.one(batch_norm(x, OpSupport.optional(scale), OpSupport.optional(bias), OpSupport.optional(mean), OpSupport.optional(var), false, 0.0, eps, false));
        }
        // no running buffers passed: libtorch would update them in place, and that update is not done here
        Tensor y = batch_norm(x, OpSupport.optional(scale), OpSupport.optional(bias), new TensorOptional(), new TensorOptional(), true, 0.0, eps,
                false);
        if (node.outputs().size() == 1) return OpSupport.one(y);
        // training_mode outputs: running = input·momentum + batch·(1 − momentum), with the population variance
        double momentum = node.attributes().getFloat("momentum", 0.9f);
        long[] axes = new long[(int) x.dim() - 1];
        axes[0] = 0;
        for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
        Tensor batchMean = x.mean(axes, false, new ScalarTypeOptional());
        long[] bshape = new long[(int) x.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = x.size(1);
        Tensor centred = x.sub(batchMean.reshape(bshape));
        Tensor batchVar = mul(centred, centred).mean(axes, false, new ScalarTypeOptional());
        return List.of(y, blend(mean, batchMean, momentum), blend(var, batchVar, momentum));
    }

    private static Tensor blend(Tensor running, Tensor batch, double momentum) {
        return add(mul(running, OpSupport.scalar(momentum)), mul(batch, OpSupport.scalar(1 - momentum)));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { batchNormRule(rules, node); }

    /**
     * Inference BatchNorm y = γ(x−μ)/√(v+ε) + β passes the space: with x → τx, setting μ → τμ and β → τβ
     * gives y → τy exactly (ε untouched); γ and v are only permuted.
     */
    private static void batchNormRule(SpaceRules rules, Node n) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        if (l.axis() != 1) {
            rules.freeze(n.input(0), label(n) + ": channel axis is not axis 1");
            return;
        }
        for (int i = 1; i <= 4; i++) {
            if (!rules.isParam(n.input(i))) {
                rules.freeze(n.input(0), label(n) + ": statistics are not constant");
                return;
            }
        }
        rules.touchLayout(l, n.input(1), 0, Role.PERMUTE_ONLY);
        rules.touchLayout(l, n.input(2), 0, Role.COVARIANT);
        rules.touchLayout(l, n.input(3), 0, Role.COVARIANT);
        rules.touchLayout(l, n.input(4), 0, Role.PERMUTE_ONLY);
        rules.setLayout(n.output(0), l);
    }
}
