package dev.orbit.ops.norm;

import static dev.orbit.ops.SpaceRules.label;

import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.layer_norm;
import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.native_layer_norm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.OpSupport;

/**
 * LayerNormalization (opset 17): axis, epsilon (1e-5), optional bias, optional Mean and InvStdDev outputs. Symmetry:
 * over the channel axis alone, the space before it admits permutations only (ε is fixed, so no common factor is
 * exact); the normalised values times the gain are a new space sharing that permutation (norm folding and residual
 * rotations act on top of this). Over several axes, or with the statistics read, its inputs freeze.
 */
public final class LayerNormalization implements Op {
    @Override
    public String opType() { return "LayerNormalization"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        ValueType y = new ValueType(x.dtype(), x.shape());
        int axis = OpSupport.axis(node, node.attributes().getInt("axis", -1), rank);
        checkParam(node, ctx, 1, x.shape(), axis);
        checkParam(node, ctx, 2, x.shape(), axis);
        List<Dim> stat = new ArrayList<>(x.shape().dims());
        for (int i = axis; i < rank; i++) stat.set(i, Dim.of(1));
        ValueType s = new ValueType(x.dtype(), new Shape(stat));
        return node.outputs().size() == 1 ? List.of(y) : List.of(y, s, s);
    }

    /** LayerNormalization's Scale and B must broadcast to the normalised shape X[axis:]. */
    private static void checkParam(Node node, InferContext ctx, int i, Shape x, int axis) {
        ValueType p = ctx.input(i);
        if (p == null || p.shape() == null) return;
        Shape normalized = new Shape(x.dims().subList(axis, x.rank()));
        if (p.rank() > normalized.rank()) {
            throw OpSupport.shapeError(node, "input " + i + " " + p.shape() + " does not fit the normalised shape "
                    + normalized);
        }
        OpSupport.broadcast(node, normalized, p.shape());
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        double eps = node.attributes().getFloat("epsilon", 1e-5f);
        return layerNorm(node, ctx, x, eps);
    }

    private static List<Tensor> layerNorm(Node node, EvalContext ctx, Tensor x, double eps) {
        int rank = (int) x.dim();
        int axis = OpSupport.axis(node, node.attributes().getInt("axis", -1), rank);
        long[] normalized = Arrays.copyOfRange(OpSupport.sizes(x), axis, rank);
        Tensor scale = ctx.require(node, 1);
        Tensor bias = ctx.input(2);
        // libtorch wants affine parameters of exactly the normalised shape; others broadcast afterwards
        boolean exact = Arrays.equals(OpSupport.sizes(scale), normalized)
                && (bias == null || Arrays.equals(OpSupport.sizes(bias), normalized));
        TensorOptional w = exact ? OpSupport.optional(scale) : new TensorOptional();
        TensorOptional b = exact ? OpSupport.optional(bias) : new TensorOptional();
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

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        int r = rules.rank(n.input(0));
        long given = n.attributes().getInt("axis", -1);
        int axis = (int) (given < 0 ? given + r : given);
        boolean statsRead = false;
        for (int k = 1; k < n.outputs().size(); k++) statsRead |= !n.output(k).isEmpty();
        if (axis != r - 1 || r < 0 || statsRead) {
            rules.freezeInputs(n, label(n) + ": normalises over more than the channel axis, or its statistics are outputs");
            return;
        }
        rules.normalization(label(n), n.input(0), n.output(0), n.input(1), n.input(2), axis);
    }
}
