package dev.orbit.ops.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/**
 * Loop: runs {@code body} while the iteration count is below the trip count M (absent: no limit) and the condition
 * holds (absent: true). The body gets (iteration, condition, carried values…) and gives (condition, carried
 * values…, scan values…); the node's outputs are the final carried values, then each scan value stacked over the
 * iterations along a new first axis. The body reads the enclosing graph's values by name.
 */
public final class Loop implements Op {
    @Override
    public String opType() { return "Loop"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        Graph body = node.subgraph("body");
        int carried = node.inputs().size() - 2;
        checkArity(node, body, carried);
        List<ValueType> ins = new ArrayList<>();
        ins.add(new ValueType(DType.INT64, Shape.of(new long[0])));
        ins.add(new ValueType(DType.BOOL, Shape.of(new long[0])));
        for (int k = 0; k < carried; k++) ins.add(ctx.input(2 + k));
        List<ValueType> outs = ctx.inferSubgraph(body, ins);
        if (outs == null) return List.of();
        List<ValueType> result = new ArrayList<>();
        for (int k = 0; k < carried; k++) {
            // a carried value may change shape between iterations: only the element type is sure
            ValueType initial = ctx.input(2 + k);
            ValueType last = outs.get(1 + k);
            result.add(initial == null ? last : sameShape(initial, last) ? initial : ValueType.unknown(initial.dtype()));
        }
        for (int k = 1 + carried; k < outs.size(); k++) result.add(ControlFlow.stacked(outs.get(k), 0, Dim.unknown()));
        return result;
    }

    private static boolean sameShape(ValueType a, ValueType b) {
        return b != null && a.shape() != null && a.shape().equals(b.shape()) && a.dtype() == b.dtype();
    }

    private static void checkArity(Node node, Graph body, int carried) {
        if (carried < 0 || body.inputs().size() != 2 + carried || body.outputs().size() < 1 + carried
                || node.outputs().size() != body.outputs().size() - 1) {
            throw new ShapeException("Loop node '" + node.label() + "': its body takes " + body.inputs().size() + " inputs and gives "
                    + body.outputs().size() + " outputs, which does not fit " + Math.max(carried, 0) + " carried values and "
                    + node.outputs().size() + " node outputs");
        }
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Graph body = node.subgraph("body");
        int carried = node.inputs().size() - 2;
        checkArity(node, body, carried);
        long[] m = ctx.longs(0);
        long trips = m == null ? Long.MAX_VALUE : m[0];
        Tensor c = ctx.input(1);
        boolean cond = c == null || ControlFlow.truth(c);
        List<Tensor> state = new ArrayList<>();
        for (int k = 0; k < carried; k++) state.add(ctx.require(node, 2 + k));
        Set<Tensor> initial = Collections.newSetFromMap(new IdentityHashMap<>());
        initial.addAll(state);
        int scans = body.outputs().size() - 1 - carried;
        List<List<Tensor>> scanned = new ArrayList<>();
        for (int k = 0; k < scans; k++) scanned.add(new ArrayList<>());
        for (long i = 0; i < trips && cond; i++) {
            List<Tensor> ins = new ArrayList<>();
            ins.add(ControlFlow.longScalar(i));
            ins.add(ControlFlow.boolScalar(cond));
            ins.addAll(state);
            List<Tensor> outs = ctx.runSubgraph(body, ins);
            cond = ControlFlow.truth(outs.getFirst());
            List<Tensor> next = new ArrayList<>(outs.subList(1, 1 + carried));
            // the previous iteration's values are dead now, unless the body handed them on or they were the node's inputs
            Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
            kept.addAll(next);
            for (List<Tensor> s : scanned) kept.addAll(s);
            for (Tensor t : state) if (!initial.contains(t) && !kept.contains(t) && !ctx.training()) t.close();
            state = next;
            for (int k = 0; k < scans; k++) scanned.get(k).add(outs.get(1 + carried + k));
        }
        List<Tensor> result = new ArrayList<>();
        for (Tensor t : state) result.add(initial.contains(t) ? new Tensor(t) : t);
        for (int k = 0; k < scans; k++) {
            ValueType declared = body.outputs().get(1 + carried + k).type();
            result.add(ControlFlow.stack(scanned.get(k), 0, declared));
        }
        return result;
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ControlFlow.freeze(node, rules, "how often its body runs depends on the data");
    }
}
