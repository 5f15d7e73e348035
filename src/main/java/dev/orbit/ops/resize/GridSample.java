package dev.orbit.ops.resize;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * GridSample (opset 16): X [N, C, H, W] sampled at the normalised [−1, 1] positions of grid [N, H_out, W_out, 2]
 * (x then y), {@code mode} bilinear (default), nearest or bicubic, {@code padding_mode} zeros (default), border or
 * reflection, {@code align_corners} 0 or 1. ONNX took these semantics from libtorch's grid_sampler, which runs it.
 */
public final class GridSample implements Op {
    @Override
    public String opType() { return "GridSample"; }

    @Override
    public long sinceVersion() { return 16; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType grid = ctx.require(node, 1);
        List<Dim> out = new ArrayList<>(List.of(x.shape().dim(0), x.shape().dim(1)));
        for (int i = 1; i < grid.rank() - 1; i++) out.add(grid.shape().dim(i));
        return OpSupport.one(new ValueType(x.dtype(), new Shape(out)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor grid = ctx.require(node, 1).to(x.scalar_type());
        long mode = switch (node.attributes().getString("mode", "bilinear")) {
            case "bilinear" -> 0;
            case "nearest" -> 1;
            case "bicubic" -> 2;
            case String m -> throw new ModelFormatException(label(node) + ": mode '" + m + "' is not bilinear, nearest or bicubic");
        };
        long padding = switch (node.attributes().getString("padding_mode", "zeros")) {
            case "zeros" -> 0;
            case "border" -> 1;
            case "reflection" -> 2;
            case String m -> throw new ModelFormatException(label(node) + ": padding_mode '" + m + "' is not zeros, border or reflection");
        };
        boolean align = node.attributes().getInt("align_corners", 0) != 0;
        return OpSupport.one(torch.grid_sampler(x, grid, mode, padding, align));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        // the sampling itself is per channel, but the analysis has no rule for a grid input read from data
        rules.freezeInputs(node, label(node) + ": samples at positions read from data (the grid)");
    }
}
