package dev.orbit.ops.control;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.SpaceRules;

/**
 * Scan at opset 8: every value has a leading batch axis, and each batch element is scanned on its own along axis 1
 * of the scan inputs, for its {@code sequence_lens} entry of steps (the first input; absent: all steps). States
 * lose the batch axis inside the body; scan outputs are stacked along axis 1 and padded with zeros past a shorter
 * sequence. {@code directions} (one per scan input) reverses a scan input.
 */
public final class Scan8 implements Op {
    @Override
    public String opType() { return "Scan"; }

    @Override
    public long sinceVersion() { return 8; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        Graph body = node.subgraph("body");
        int m = (int) node.attributes().getInt("num_scan_inputs", -1);
        int n = node.inputs().size() - 1 - m;
        if (m < 1 || n < 0 || body.inputs().size() != n + m) return List.of();
        List<ValueType> ins = new ArrayList<>();
        Dim batch = Dim.unknown();
        Dim steps = Dim.unknown();
        for (int i = 0; i < n + m; i++) {
            ValueType t = ctx.input(1 + i);
            ValueType s = ControlFlow.sliced(t, 0);
            if (t != null && t.shape() != null && t.shape().rank() > 0) batch = t.shape().dim(0);
            if (i >= n) {
                if (t != null && t.shape() != null && t.shape().rank() > 1) steps = t.shape().dim(1);
                s = ControlFlow.sliced(s, 0);
            }
            ins.add(s);
        }
        List<ValueType> outs = ctx.inferSubgraph(body, ins);
        if (outs == null) return List.of();
        List<ValueType> result = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            ValueType t = i < n ? outs.get(i) : ControlFlow.stacked(outs.get(i), 0, steps);
            result.add(ControlFlow.stacked(t, 0, batch));
        }
        return result;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Graph body = node.subgraph("body");
        int m = (int) node.attributes().getInt("num_scan_inputs", -1);
        int n = node.inputs().size() - 1 - m;
        if (m < 1 || n < 0 || body.inputs().size() != n + m || node.outputs().size() != body.outputs().size()) {
            throw new ShapeException("Scan node '" + node.label() + "': num_scan_inputs " + m + " does not fit its inputs, outputs and body");
        }
        long[] dirs = node.attributes().getInts("directions", new long[m]);
        boolean[] reverseIn = new boolean[m];
        for (int j = 0; j < m && j < dirs.length; j++) reverseIn[j] = dirs[j] == 1;
        int k = body.outputs().size() - n;
        boolean[] reverseOut = new boolean[k];
        long batch = ctx.require(node, 1).size(0);
        long[] lens = ctx.longs(0);
        List<List<Tensor>> perOutput = new ArrayList<>();
        for (int i = 0; i < n + k; i++) perOutput.add(new ArrayList<>());
        long maxSteps = m > 0 ? ctx.require(node, 1 + n).size(1) : 0;
        for (long b = 0; b < batch; b++) {
            long steps = lens == null ? maxSteps : lens[(int) b];
            List<Tensor> states = new ArrayList<>();
            for (int i = 0; i < n; i++) states.add(ctx.require(node, 1 + i).select(0, b));
            List<Tensor> scans = new ArrayList<>();
            for (int j = 0; j < m; j++) scans.add(ctx.require(node, 1 + n + j).select(0, b).narrow(0, 0, steps));
            List<Tensor> outs = ScanRun.run(ctx, body, states, scans, reverseIn, reverseOut, steps);
            for (int i = 0; i < n + k; i++) {
                Tensor y = outs.get(i);
                if (i >= n && steps < maxSteps) {
                    long[] pad = new long[2 * (int) y.dim()];
                    pad[pad.length - 1] = maxSteps - steps; // zeros after the last step (the pad list runs last axis first)
                    y = torch.constant_pad_nd(y, pad);
                }
                perOutput.get(i).add(y);
            }
        }
        List<Tensor> result = new ArrayList<>();
        for (List<Tensor> parts : perOutput) result.add(torch.stack(new TensorVector(parts.toArray(Tensor[]::new)), 0));
        return result;
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ControlFlow.freeze(node, rules, "its body runs once per step with values it reads by name");
    }

}
