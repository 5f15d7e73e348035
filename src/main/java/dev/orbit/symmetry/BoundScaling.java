package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Positive per-channel factors through clipping without the τ·f(x/τ) rewrite: for τᵢ &gt; 0,
 * τᵢ·min(max(x, lo), hi) = min(max(τᵢx, τᵢ·lo), τᵢ·hi). ONNX {@code Clip} only takes scalar bounds, so a Clip (ReLU6
 * is Clip(0, 6)) becomes {@code Max} then {@code Min} with per-channel bound tensors of shape [C, 1, …] (issue 15's
 * exact Clip→Max/Min rewrite); a Max or Min whose other operands are constants gets its constants multiplied. The
 * graph keeps plain ONNX ops and no extra Mul, so a quantizer sees the moved weights alone and cross-layer
 * equalization can act across ReLU6. Applies only to regions made of such nodes, on float32/float64 values.
 */
final class BoundScaling {
    private final List<Node> nodes;
    private final Map<String, NdArray> params;
    private final Map<String, ValueType> types;
    private final UnaryOperator<String> fresh;

    BoundScaling(List<Node> nodes, Map<String, NdArray> params, Map<String, ValueType> types, UnaryOperator<String> fresh) {
        this.nodes = nodes;
        this.params = params;
        this.types = types;
        this.fresh = fresh;
    }

    /** Whether every member is a Clip/Max/Min of one moving value and constant bounds, in a float type. */
    boolean applies(Set<Integer> members) {
        if (members.isEmpty()) return false;
        for (int i : members) {
            Node n = nodes.get(i);
            if (!n.isStandardDomain()) return false;
            if (!n.opType().equals("Clip") && !n.opType().equals("Max") && !n.opType().equals("Min")) return false;
            String moving = null;
            for (String in : n.inputs()) {
                if (in.isEmpty()) continue;
                if (params.containsKey(in)) continue;
                if (moving != null) return false; // two moving operands (or a computed bound)
                moving = in;
            }
            if (moving == null) return false;
            ValueType t = types.get(moving);
            if (t == null || t.shape() == null || t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) return false;
            if (n.opType().equals("Clip") && !n.input(0).equals(moving)) return false;
        }
        return true;
    }

    /** Rewrites the members for factors {@code tau} (&gt; 0, one per position of the channel {@code axis}). */
    void scale(Set<Integer> members, int axis, double[] tau) {
        List<Integer> order = new ArrayList<>(members);
        order.sort(null);
        // from the back, so that indices of the members not yet visited stay valid when a Clip becomes two nodes
        for (int k = order.size() - 1; k >= 0; k--) {
            int i = order.get(k);
            Node n = nodes.get(i);
            if (n.opType().equals("Clip")) replaceClip(i, n, axis, tau);
            else scaleOperands(i, n, axis, tau);
        }
    }

    private void replaceClip(int index, Node n, int axis, double[] tau) {
        String x = n.input(0);
        Double lo = bound(n, "min", 1);
        Double hi = bound(n, "max", 2);
        List<Node> replacement = new ArrayList<>();
        String current = x;
        if (lo != null) {
            String out = hi == null ? n.output(0) : fresh.apply(n.output(0) + "_orbit_max");
            replacement.add(new Node(fresh.apply(n.label() + "_max"), "Max", "", List.of(current, perChannel(x, axis, lo, tau)),
                    List.of(out), Attributes.NONE, ""));
            current = out;
        }
        if (hi != null) {
            replacement.add(new Node(fresh.apply(n.label() + "_min"), "Min", "", List.of(current, perChannel(x, axis, hi, tau)),
                    List.of(n.output(0)), Attributes.NONE, ""));
        }
        if (replacement.isEmpty()) return; // unbounded Clip: the identity, which commutes with any factor
        nodes.remove(index);
        nodes.addAll(index, replacement);
        for (int j = 1; j < n.inputs().size(); j++) dropIfUnused(n.input(j));
    }

    /** A Clip bound as a number: the attribute before opset 11, else the scalar input; null when absent. */
    private Double bound(Node n, String attribute, int input) {
        if (n.attributes().has(attribute)) return (double) n.attributes().getFloat(attribute, 0);
        String in = n.input(input);
        if (in.isEmpty()) return null;
        NdArray c = params.get(in);
        if (c.size() != 1) throw new IllegalStateException("Clip bound '" + in + "' is not a scalar");
        return c.getAsDouble(0);
    }

    private void scaleOperands(int index, Node n, int axis, double[] tau) {
        String moving = null;
        for (String in : n.inputs()) if (!in.isEmpty() && !params.containsKey(in)) moving = in;
        List<String> ins = new ArrayList<>(n.inputs());
        for (int j = 0; j < ins.size(); j++) {
            String c = ins.get(j);
            if (c.isEmpty() || !params.containsKey(c)) continue;
            NdArray k = params.get(c);
            double[] values = new double[tau.length];
            if (k.size() == 1) Arrays.fill(values, k.getAsDouble(0));
            else if (k.size() == tau.length) values = k.toDoubleArray(); // per-channel, already permuted by the move
            else throw new IllegalStateException(n.opType() + " constant '" + c + "' is neither scalar nor per-channel");
            ins.set(j, constant(moving, axis, values, tau, c));
        }
        nodes.set(index, n.withInputs(ins));
        for (String in : n.inputs()) if (!in.isEmpty() && params.containsKey(in)) dropIfUnused(in);
    }

    private String perChannel(String x, int axis, double value, double[] tau) {
        double[] v = new double[tau.length];
        Arrays.fill(v, value);
        return constant(x, axis, v, tau, x + "_orbit_bound");
    }

    /** values·τ as a new parameter shaped [C, 1, …] so that it lines up with the channel axis of {@code x}. */
    private String constant(String x, int axis, double[] values, double[] tau, String base) {
        ValueType t = types.get(x);
        long[] shape = new long[Math.max(1, t.shape().rank() - axis)];
        Arrays.fill(shape, 1);
        shape[0] = tau.length;
        double[] v = new double[tau.length];
        for (int i = 0; i < v.length; i++) v[i] = values[i] * tau[i];
        NdArray c;
        if (t.dtype() == DType.FLOAT64) c = NdArray.ofDoubles(v, shape);
        else {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            c = NdArray.ofFloats(f, shape);
        }
        String name = fresh.apply(base.endsWith("_orbit_bound") ? base : base + "_orbit_bound");
        params.put(name, c);
        return name;
    }

    private void dropIfUnused(String param) {
        if (param.isEmpty() || !params.containsKey(param)) return;
        for (Node n : nodes) if (n.inputs().contains(param)) return;
        params.remove(param);
    }
}
