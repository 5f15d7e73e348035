package dev.orbit.ops;

import static org.bytedeco.pytorch.global.torch.*;

import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;

/**
 * Elementwise activations. Each keeps its input's shape. Defaults follow the ONNX spec: LeakyRelu alpha 0.01;
 * Elu alpha 1; Selu alpha 1.67326319217681884765625, gamma 1.05070102214813232421875; HardSigmoid alpha 0.2,
 * beta 0.5; Gelu (opset 20) approximate "none"; Clip bounds as inputs (opset ≥ 11) or attributes (older).
 */
public final class ActivationOps implements OpFamily {
    /** Elementwise functions the symmetry analysis understands though Orbit cannot evaluate them yet. */
    static final Set<String> SPACE_RULE_ONLY = Set.of("Softsign", "Sin", "Cos");

    @Override
    public Set<String> opTypes() {
        return Set.of("Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Sigmoid", "Tanh", "Erf", "Gelu", "Softplus",
                "HardSigmoid", "HardSwish", "Clip");
    }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        if (node.opType().equals("PRelu")) {
            ValueType slope = ctx.require(node, 1);
            if (opset6ChannelSlope(slope.rank(), x.rank(), ctx.opset())) return OpSupport.one(new ValueType(x.dtype(), x.shape()));
            return OpSupport.one(new ValueType(x.dtype(), OpSupport.broadcast(node, x.shape(), slope.shape())));
        }
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        var at = node.attributes();
        Tensor y = switch (node.opType()) {
            case "Relu" -> relu(x);
            case "LeakyRelu" -> leaky_relu(x, OpSupport.scalar(at.getFloat("alpha", 0.01f)));
            case "PRelu" -> {
                Tensor slope = preluSlope(ctx.require(node, 1), x.dim(), ctx.opset());
                yield where(gt(x, OpSupport.scalar(0)), x, mul(x, slope));
            }
            case "Elu" -> {
                double alpha = at.getFloat("alpha", 1f);
                yield elu(x, OpSupport.scalar(alpha), OpSupport.scalar(1), OpSupport.scalar(1));
            }
            case "Selu" -> {
                double alpha = at.getFloat("alpha", 1.67326319217681884765625f);
                double gamma = at.getFloat("gamma", 1.05070102214813232421875f);
                yield elu(x, OpSupport.scalar(alpha), OpSupport.scalar(gamma), OpSupport.scalar(1));
            }
            case "Sigmoid" -> sigmoid(x);
            case "Tanh" -> tanh(x);
            case "Erf" -> erf(x);
            case "Gelu" -> gelu(x, at.getString("approximate", "none"));
            case "Softplus" -> softplus(x, OpSupport.scalar(1), OpSupport.scalar(Double.POSITIVE_INFINITY));
            case "HardSigmoid" -> hardSigmoid(x, at.getFloat("alpha", 0.2f), at.getFloat("beta", 0.5f));
            case "HardSwish" -> mul(x, hardSigmoid(x, 1.0 / 6.0, 0.5));
            case "Clip" -> clip(node, x, ctx);
            default -> throw new IllegalStateException(node.opType());
        };
        return OpSupport.one(y);
    }

    /** max(0, min(1, alpha·x + beta)), written with clamp so autograd sees it. */
    private static Tensor hardSigmoid(Tensor x, double alpha, double beta) {
        Tensor lin = add(mul(x, OpSupport.scalar(alpha)), OpSupport.scalar(beta));
        return clamp(lin, new ScalarOptional(OpSupport.scalar(0)), new ScalarOptional(OpSupport.scalar(1)));
    }

    /**
     * Opset 6 applies a [C] slope (C > 1) along axis 1, as channels; opset 7 on broadcasts it numpy's way, along
     * the last axis. Returns the slope reshaped to [C, 1, ..., 1] for the former.
     */
    private static Tensor preluSlope(Tensor slope, long xRank, long opset) {
        if (!opset6ChannelSlope((int) slope.dim(), (int) xRank, opset) || slope.size(0) == 1) return slope;
        long[] shape = new long[(int) xRank - 1];
        java.util.Arrays.fill(shape, 1);
        shape[0] = slope.size(0);
        return slope.reshape(shape);
    }

    private static boolean opset6ChannelSlope(int slopeRank, int xRank, long opset) {
        return opset < 7 && slopeRank == 1 && xRank >= 2;
    }

    private static Tensor clip(Node node, Tensor x, EvalContext ctx) {
        ScalarOptional lo;
        ScalarOptional hi;
        // integer inputs take integer bounds: a double Scalar would promote the result to float
        boolean integral = ArithmeticOps.isIntegral(x);
        if (ctx.opset() < 11 || node.attributes().has("min") || node.attributes().has("max")) {
            var at = node.attributes();
            lo = at.has("min") ? new ScalarOptional(OpSupport.scalar(at.getFloat("min", 0))) : new ScalarOptional();
            hi = at.has("max") ? new ScalarOptional(OpSupport.scalar(at.getFloat("max", 0))) : new ScalarOptional();
        } else if (integral) {
            Tensor min = ctx.input(1);
            Tensor max = ctx.input(2);
            lo = min == null ? new ScalarOptional() : new ScalarOptional(new org.bytedeco.pytorch.Scalar(min.item_long()));
            hi = max == null ? new ScalarOptional() : new ScalarOptional(new org.bytedeco.pytorch.Scalar(max.item_long()));
        } else {
            Tensor min = ctx.input(1);
            Tensor max = ctx.input(2);
            if (min != null && min.requires_grad() || max != null && max.requires_grad()) {
                // tensor bounds keep the gradient with respect to the bounds (e.g. a learnable ReLU6 cap)
                return clamp(x, min == null ? new org.bytedeco.pytorch.TensorOptional() : new org.bytedeco.pytorch.TensorOptional(min),
                        max == null ? new org.bytedeco.pytorch.TensorOptional() : new org.bytedeco.pytorch.TensorOptional(max));
            }
            lo = min == null ? new ScalarOptional() : new ScalarOptional(OpSupport.scalar(min.item_double()));
            hi = max == null ? new ScalarOptional() : new ScalarOptional(OpSupport.scalar(max.item_double()));
        }
        if (!lo.has_value() && !hi.has_value()) return new Tensor(x); // no bounds: the identity (libtorch's clamp refuses it)
        return clamp(x, lo, hi);
    }

    // ---------------------------------------------------------------- symmetry

    /** Per-channel elementwise functions: members of an activation region, rewritten as τ·f(x/τ). */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        switch (node.opType()) {
            case "PRelu" -> {
                // an opset-6 [C] slope acts along axis 1, which the broadcast alignment of region() does not see
                String slope = node.input(1);
                if (rules.opset() < 7 && rules.isParam(slope) && rules.parameter(slope).rank() == 1
                        && rules.parameter(slope).size() > 1 && rules.rank(node.input(0)) > 2) {
                    rules.freezeInputs(node, SpaceRules.label(node) + ": opset-6 per-channel slope (not analysed yet)");
                } else {
                    rules.region(node, true);
                }
            }
            case "Relu", "LeakyRelu" -> rules.region(node, true);
            case "Elu", "Selu", "Sigmoid", "Tanh", "Erf", "Gelu", "Softplus", "Softsign", "HardSigmoid", "HardSwish",
                 "Clip", "Sin", "Cos" -> rules.region(node, false);
            default -> rules.freezeUnknown(node);
        }
    }
}
