package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.cat;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.ParamAxis;
import dev.orbit.ops.Role;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;

/** Concat: along the channel axis the spaces sit side by side (a direct sum); across it they merge. */
public final class Concat implements Op {
    @Override
    public String opType() { return "Concat"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        List<ValueType> ins = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) if (ctx.input(i) != null) ins.add(ctx.require(node, i));
        if (ins.isEmpty()) throw new ShapeException("Concat node '" + node.label() + "' has no inputs");
        int rank = ins.getFirst().rank();
        int a = OpSupport.axis(node, concatAxis(node), rank);
        List<Dim> out = new ArrayList<>(ins.getFirst().shape().dims());
        List<Dim> along = new ArrayList<>();
        List<Dim> values = new ArrayList<>();
        for (ValueType t : ins) {
            if (t.rank() != rank) {
                throw new ShapeException("Concat node '" + node.label() + "': inputs of rank " + rank + " and "
                        + t.rank() + " (" + t.shape() + ")");
            }
            for (int j = 0; j < rank; j++) if (j != a) out.set(j, OpArgs.unify(node, out.get(j), t.shape().dim(j)));
            along.add(t.shape().dim(a));
            if (values != null && t.hasIntValues()) values.addAll(t.intValues());
            else values = null;
        }
        out.set(a, OpArgs.sum(along));
        return OpSupport.one(new ValueType(ins.getFirst().dtype(), new Shape(out), rank == 1 ? values : null));
    }

    private static long concatAxis(Node node) {
        if (!node.attributes().has("axis")) {
            throw new ModelFormatException("Concat node '" + node.label() + "' has no 'axis' attribute");
        }
        return node.attributes().getInt("axis", 0);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        TensorVector parts = new TensorVector();
        for (int i = 0; i < ctx.inputCount(); i++) if (ctx.input(i) != null) parts.push_back(ctx.input(i));
        return OpSupport.one(cat(parts, OpSupport.axis(node, concatAxis(node), (int) x.dim())));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rule(rules, node); }

    private static void rule(SpaceRules rules, Node n) {
        int r = rules.rank(n.output(0));
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        List<Layout> ins = new ArrayList<>();
        boolean anyVariable = false;
        for (String in : n.inputs()) {
            Layout l = rules.layout(in);
            ins.add(l);
            anyVariable |= l != null;
        }
        if (!anyVariable) return;
        Integer channel = null;
        for (Layout l : ins) if (l != null) channel = channel == null ? l.axis() : channel;
        if (channel != null && channel == axis) {
            List<Segment> segs = new ArrayList<>();
            for (int i = 0; i < ins.size(); i++) {
                Layout l = ins.get(i);
                if (l != null && l.axis() == channel) {
                    segs.addAll(l.segments());
                } else {
                    long size = rules.dim(n.input(i), (int) axis);
                    if (size < 0) {
                        rules.freezeInputs(n, label(n) + ": a part of unknown size");
                        return;
                    }
                    int fixed = rules.newSpace(size, label(n) + " fixed part");
                    rules.freezeSpace(fixed, label(n) + ": this part is a network input or constant");
                    segs.add(new Segment(fixed, size, 1));
                }
            }
            rules.setLayout(n.output(0), new Layout(channel, segs));
            return;
        }
        Layout first = null;
        for (Layout l : ins) {
            if (l == null) continue;
            if (first == null) first = l;
            else if (!rules.mergeLayouts(first, l)) {
                rules.freezeInputs(n, label(n) + ": joins tensors whose channels do not line up");
                return;
            }
        }
        // a constant part re-indexing one parameter along other axes (a class token) moves with the channels
        for (int i = 0; i < ins.size(); i++) {
            if (ins.get(i) != null) continue;
            ParamAxis source = rules.constantAxis(n.input(i), first.axis());
            if (source != null && rules.parameter(source.parameter()).dim(source.axis()) == first.length()
                    && rules.dim(n.input(i), first.axis()) == first.length()) {
                rules.touchLayout(first, source.parameter(), source.axis(), Role.COVARIANT);
            } else {
                rules.freezeInputs(n, label(n) + ": joined with a fixed tensor, which neither scales nor permutes");
                return;
            }
        }
        rules.setLayout(n.output(0), first);
    }
}
