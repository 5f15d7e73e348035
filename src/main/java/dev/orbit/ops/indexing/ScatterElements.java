package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.scatter_add;

import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * ScatterElements (and the older Scatter, opsets 9–10): a copy of data with updates written at the indices along
 * {@code axis}; reduction "none" (default), "add", "mul", and from opset 18 "max", "min".
 */
public final class ScatterElements implements Op {
    private final String opType;

    public ScatterElements() { this("ScatterElements"); }

    private ScatterElements(String opType) { this.opType = opType; }

    /** Scatter (deprecated at opset 11): ScatterElements without reduction. */
    public static ScatterElements scatter() { return new ScatterElements("Scatter"); }

    @Override
    public String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType data = ctx.require(node, 0);
        return OpSupport.one(new ValueType(data.dtype(), data.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor data = ctx.require(node, 0);
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) data.dim());
        Tensor idx = IndexingSupport.wrapNegative(ctx.require(node, 1), data.size(a));
        Tensor updates = ctx.require(node, 2);
        String reduction = node.attributes().getString("reduction", "none");
        return OpSupport.one(switch (reduction) {
            case "none" -> org.bytedeco.pytorch.global.torch.scatter(data, a, idx, updates);
            case "add" -> scatter_add(data, a, idx, updates);
            case "mul", "max", "min" -> {
                // libtorch names them prod, amax, amin; the name lives in a buffer kept for the call
                try (BytePointer name = new BytePointer(reduction.equals("mul") ? "prod" : "a" + reduction)) {
                    yield org.bytedeco.pytorch.global.torch.scatter_reduce(data, a, idx, updates, name, true);
                }
            }
            default -> throw new ModelFormatException(opType + " node '" + node.label() + "': unknown reduction '" + reduction + "'");
        });
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": writes elements at computed indices");
    }
}
