package dev.orbit.ops.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Graph;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;

/**
 * One scan (shared by Scan at opset 8, per batch element, and from 9): the body runs once per step on the states
 * and each scan input's slice at that step (scan axis 0 here, counted from the end where reversed); its first
 * outputs are the next states, the rest are stacked over the steps.
 */
final class ScanRun {
    private ScanRun() {}

    /** States, then the stacked scan outputs (each along axis 0 of its own, reversed where asked). */
    static List<Tensor> run(EvalContext ctx, Graph body, List<Tensor> initial, List<Tensor> scanInputs, boolean[] reverseIn,
                            boolean[] reverseOut, long steps) {
        int n = initial.size();
        List<Tensor> state = new ArrayList<>(initial);
        Set<Tensor> given = Collections.newSetFromMap(new IdentityHashMap<>());
        given.addAll(initial);
        int k = body.outputs().size() - n;
        List<List<Tensor>> outs = new ArrayList<>();
        for (int j = 0; j < k; j++) outs.add(new ArrayList<>());
        for (long t = 0; t < steps; t++) {
            List<Tensor> ins = new ArrayList<>(state);
            for (int j = 0; j < scanInputs.size(); j++) ins.add(scanInputs.get(j).select(0, reverseIn[j] ? steps - 1 - t : t));
            List<Tensor> res = ctx.runSubgraph(body, ins);
            List<Tensor> next = new ArrayList<>(res.subList(0, n));
            Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
            kept.addAll(next);
            for (List<Tensor> o : outs) kept.addAll(o);
            for (Tensor s : state) if (!given.contains(s) && !kept.contains(s) && !ctx.training()) s.close();
            state = next;
            for (int j = 0; j < k; j++) outs.get(j).add(res.get(n + j));
        }
        List<Tensor> result = new ArrayList<>();
        for (Tensor s : state) result.add(given.contains(s) ? new Tensor(s) : s);
        for (int j = 0; j < k; j++) {
            List<Tensor> parts = new ArrayList<>(outs.get(j));
            if (reverseOut[j]) Collections.reverse(parts);
            ValueType declared = body.outputs().get(n + j).type();
            result.add(ControlFlow.stack(parts, 0, declared));
        }
        return result;
    }

    /** A tensor with axis {@code from} moved to the front (or, with {@code back}, the front axis moved to {@code from}). */
    static Tensor moveAxis(Tensor t, long from, boolean back) {
        if (from == 0) return t;
        return back ? torch.movedim(t, 0, from) : torch.movedim(t, from, 0);
    }
}
