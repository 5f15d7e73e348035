package dev.orbit.ops.control;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * Scan (opset 9 on): the first inputs are states, the last {@code num_scan_inputs} are scanned along their
 * {@code scan_input_axes} (forward, or backward where {@code scan_input_directions} says 1). The body maps (states,
 * one slice of each scan input) to (next states, scan values); the outputs are the final states, then each scan
 * value stacked along its {@code scan_output_axes} (in reverse step order where {@code scan_output_directions} says 1).
 */
public final class Scan implements Op {
    @Override
    public String opType() { return "Scan"; }

    @Override
    public long sinceVersion() { return 9; }

    private record Plan(Graph body, int states, int scans, long[] inAxes, boolean[] reverseIn, long[] outAxes, boolean[] reverseOut) {}

    private static Plan plan(Node node, int[] ranksIn, int[] ranksOut) {
        Graph body = node.subgraph("body");
        int m = (int) node.attributes().getInt("num_scan_inputs", -1);
        int n = node.inputs().size() - m;
        int k = body.outputs().size() - n;
        if (m < 1 || n < 0 || k < 0 || body.inputs().size() != n + m || node.outputs().size() != n + k) {
            throw new ShapeException("Scan node '" + node.label() + "': num_scan_inputs " + m + " does not fit its " + node.inputs().size()
                    + " inputs, " + node.outputs().size() + " outputs and a body of " + body.inputs().size() + " inputs and "
                    + body.outputs().size() + " outputs");
        }
        long[] inAxes = axes(node, "scan_input_axes", m, ranksIn);
        long[] outAxes = axes(node, "scan_output_axes", k, ranksOut);
        return new Plan(body, n, m, inAxes, flags(node, "scan_input_directions", m), outAxes, flags(node, "scan_output_directions", k));
    }

    private static long[] axes(Node node, String name, int count, int[] ranks) {
        long[] a = node.attributes().getInts(name, new long[count]);
        if (a.length != count) throw new ShapeException("Scan node '" + node.label() + "': " + name + " has " + a.length + " entries, not " + count);
        for (int i = 0; i < count; i++) if (ranks != null && ranks[i] >= 0) a[i] = OpSupport.axis(node, a[i], ranks[i]);
        return a;
    }

    private static boolean[] flags(Node node, String name, int count) {
        long[] d = node.attributes().getInts(name, new long[count]);
        if (d.length != count) throw new ShapeException("Scan node '" + node.label() + "': " + name + " has " + d.length + " entries, not " + count);
        boolean[] f = new boolean[count];
        for (int i = 0; i < count; i++) f[i] = d[i] == 1;
        return f;
    }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        Graph body = node.subgraph("body");
        int m = (int) node.attributes().getInt("num_scan_inputs", -1);
        int n = node.inputs().size() - m;
        int[] ranksIn = new int[Math.max(m, 0)];
        for (int j = 0; j < ranksIn.length; j++) {
            ValueType t = ctx.input(n + j);
            ranksIn[j] = t == null || t.shape() == null ? -1 : t.shape().rank();
        }
        int k = body.outputs().size() - n;
        int[] ranksOut = new int[Math.max(k, 0)];
        for (int j = 0; j < ranksOut.length; j++) {
            ValueType t = body.outputs().get(n + j).type();
            ranksOut[j] = t.shape() == null ? -1 : t.shape().rank() + 1;
        }
        Plan p = plan(node, ranksIn, ranksOut);
        List<ValueType> ins = new ArrayList<>();
        for (int i = 0; i < n; i++) ins.add(ctx.input(i));
        Dim steps = Dim.unknown();
        for (int j = 0; j < m; j++) {
            ValueType t = ctx.input(n + j);
            ins.add(ControlFlow.sliced(t, (int) p.inAxes()[j]));
            if (t != null && t.shape() != null && p.inAxes()[j] < t.shape().rank()) steps = t.shape().dim((int) p.inAxes()[j]);
        }
        List<ValueType> outs = ctx.inferSubgraph(body, ins);
        if (outs == null) return List.of();
        List<ValueType> result = new ArrayList<>(outs.subList(0, n));
        for (int j = 0; j < k; j++) result.add(ControlFlow.stacked(outs.get(n + j), (int) p.outAxes()[j], steps));
        return result;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Graph body = node.subgraph("body");
        int m = (int) node.attributes().getInt("num_scan_inputs", -1);
        int n = node.inputs().size() - m;
        int[] ranksIn = new int[Math.max(m, 0)];
        for (int j = 0; j < ranksIn.length; j++) ranksIn[j] = (int) ctx.require(node, n + j).dim();
        int k = body.outputs().size() - n;
        int[] ranksOut = new int[Math.max(k, 0)];
        java.util.Arrays.fill(ranksOut, -1);
        Plan p = plan(node, ranksIn, null);
        List<Tensor> states = new ArrayList<>();
        for (int i = 0; i < n; i++) states.add(ctx.require(node, i));
        List<Tensor> scans = new ArrayList<>();
        long steps = -1;
        for (int j = 0; j < m; j++) {
            Tensor x = ScanRun.moveAxis(ctx.require(node, n + j), p.inAxes()[j], false);
            if (steps >= 0 && x.size(0) != steps) {
                throw new ShapeException("Scan node '" + node.label() + "': its scan inputs have " + steps + " and " + x.size(0) + " steps");
            }
            steps = x.size(0);
            scans.add(x);
        }
        List<Tensor> outs = ScanRun.run(ctx, body, states, scans, p.reverseIn(), p.reverseOut(), steps);
        List<Tensor> result = new ArrayList<>(outs.subList(0, n));
        for (int j = 0; j < k; j++) {
            Tensor y = outs.get(n + j);
            long axis = OpSupport.axis(node, p.outAxes()[j], (int) y.dim());
            result.add(ScanRun.moveAxis(y, axis, true));
        }
        return result;
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ControlFlow.freeze(node, rules, "its body runs once per step with values it reads by name");
    }
}
