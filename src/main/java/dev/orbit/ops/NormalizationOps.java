package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.batch_norm;
import static org.bytedeco.pytorch.global.torch.instance_norm;
import static org.bytedeco.pytorch.global.torch.layer_norm;
import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.native_layer_norm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;

/**
 * BatchNormalization (inference with running statistics; batch statistics while training or with
 * training_mode=1), InstanceNormalization and LayerNormalization (opset 17: axis, epsilon, optional bias,
 * optional Mean and InvStdDev outputs). Epsilon defaults to 1e-5 for all three.
 */
public final class NormalizationOps implements OpFamily {
    @Override
    public Set<String> opTypes() { return Set.of("BatchNormalization", "InstanceNormalization", "LayerNormalization"); }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        ValueType y = new ValueType(x.dtype(), x.shape());
        switch (node.opType()) {
            case "LayerNormalization" -> {
                int axis = OpSupport.axis(node, node.attributes().getInt("axis", -1), rank);
                checkParam(node, ctx, 1, x.shape(), axis);
                checkParam(node, ctx, 2, x.shape(), axis);
                List<Dim> stat = new ArrayList<>(x.shape().dims());
                for (int i = axis; i < rank; i++) stat.set(i, Dim.of(1));
                ValueType s = new ValueType(x.dtype(), new Shape(stat));
                return node.outputs().size() == 1 ? List.of(y) : List.of(y, s, s);
            }
            case "BatchNormalization" -> {
                if (rank < 2) throw ConvOps.shapeError(node, "input X must be N×C×…, got " + x.shape());
                for (int i = 1; i <= 4; i++) checkChannels(node, ctx, i, x.shape().dim(1));
                ValueType c = new ValueType(x.dtype(), Shape.of(x.shape().dim(1)));
                return node.outputs().size() == 1 ? List.of(y) : List.of(y, c, c);
            }
            default -> {
                if (rank < 3) throw ConvOps.shapeError(node, "input X must be N×C×D1…, got " + x.shape());
                for (int i = 1; i <= 2; i++) checkChannels(node, ctx, i, x.shape().dim(1));
                return OpSupport.one(y);
            }
        }
    }

    /** Per-channel parameters must be vectors of C. */
    private static void checkChannels(Node node, InferContext ctx, int i, Dim c) {
        ValueType p = ctx.input(i);
        if (p == null || p.shape() == null) return;
        if (p.rank() != 1 || c.isKnown() && p.shape().dim(0).isKnown() && p.shape().dim(0).size() != c.size()) {
            throw ConvOps.shapeError(node, "input " + i + " has shape " + p.shape() + " but X has " + c + " channels");
        }
    }

    /** LayerNormalization's Scale and B must broadcast to the normalised shape X[axis:]. */
    private static void checkParam(Node node, InferContext ctx, int i, Shape x, int axis) {
        ValueType p = ctx.input(i);
        if (p == null || p.shape() == null) return;
        Shape normalized = new Shape(x.dims().subList(axis, x.rank()));
        if (p.rank() > normalized.rank()) {
            throw ConvOps.shapeError(node, "input " + i + " " + p.shape() + " does not fit the normalised shape "
                    + normalized);
        }
        OpSupport.broadcast(node, normalized, p.shape());
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        double eps = node.attributes().getFloat("epsilon", 1e-5f);
        return switch (node.opType()) {
            case "BatchNormalization" -> batchNorm(node, ctx, x, eps);
            case "InstanceNormalization" -> OpSupport.one(instance_norm(x, opt(ctx.require(node, 1)),
                    opt(ctx.require(node, 2)), new TensorOptional(), new TensorOptional(), true, 0.0, eps, false));
            default -> layerNorm(node, ctx, x, eps);
        };
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
            return OpSupport.one(batch_norm(x, opt(scale), opt(bias), opt(mean), opt(var), false, 0.0, eps, false));
        }
        // no running buffers passed: libtorch would update them in place, and that update is not done here
        Tensor y = batch_norm(x, opt(scale), opt(bias), new TensorOptional(), new TensorOptional(), true, 0.0, eps,
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

    private static List<Tensor> layerNorm(Node node, EvalContext ctx, Tensor x, double eps) {
        int rank = (int) x.dim();
        int axis = OpSupport.axis(node, node.attributes().getInt("axis", -1), rank);
        long[] normalized = Arrays.copyOfRange(ConvOps.sizes(x), axis, rank);
        Tensor scale = ctx.require(node, 1);
        Tensor bias = ctx.input(2);
        // libtorch wants affine parameters of exactly the normalised shape; others broadcast afterwards
        boolean exact = Arrays.equals(ConvOps.sizes(scale), normalized)
                && (bias == null || Arrays.equals(ConvOps.sizes(bias), normalized));
        TensorOptional w = exact ? opt(scale) : new TensorOptional();
        TensorOptional b = exact ? ConvOps.optional(bias) : new TensorOptional();
        boolean stats = node.outputs().size() > 1;
        Tensor y;
        Tensor mean = null;
        Tensor rstd = null;
        if (stats) {
            T_TensorTensorTensor_T r = native_layer_norm(x, normalized, w, b, eps);
            y = r.get0();
            mean = r.get1();
            rstd = r.get2();
        } else {
            y = layer_norm(x, normalized, w, b, eps, false);
        }
        if (!exact) {
            y = mul(y, scale);
            if (bias != null) y = add(y, bias);
        }
        return stats ? List.of(y, mean, rstd) : List.of(y);
    }

    private static TensorOptional opt(Tensor t) { return new TensorOptional(t); }

    // ---------------------------------------------------------------- symmetry

    /** BatchNorm passes the space; Instance- and LayerNorm normalise across channels and are frozen. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        switch (node.opType()) {
            case "BatchNormalization" -> batchNormRule(rules, node);
            default -> rules.freezeUnknown(node);
        }
    }

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
