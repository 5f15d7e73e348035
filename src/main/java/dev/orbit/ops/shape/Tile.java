package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Tile: the input repeated repeats[i] times along each axis i. */
public final class Tile implements Op {
    @Override
    public String opType() { return "Tile"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        List<Dim> reps = ctx.intValues(1);
        if (reps == null) return OpSupport.one(new ValueType(x.dtype(), OpArgs.allUnknown(x.rank())));
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            Dim d = x.shape().dim(i);
            Dim r = reps.get(i);
            out.add(d instanceof Dim.Known(long a) && r instanceof Dim.Known(long b) ? Dim.of(a * b)
                    : r instanceof Dim.Known(long b) && b == 1 ? d : Dim.unknown());
        }
        return OpSupport.one(new ValueType(x.dtype(), new dev.orbit.graph.Shape(out)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] reps = ctx.longs(1);
        if (reps == null || reps.length != x.dim()) {
            throw new ModelFormatException("Tile node '" + node.label() + "' needs one repeat count per axis");
        }
        return OpSupport.one(x.repeat(reps));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": repeats the tensor, the channel axis possibly among the tiled ones (rule not written yet)");
    }
}
