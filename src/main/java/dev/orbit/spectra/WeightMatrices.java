package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.NdArray;

/**
 * Finds the weight matrices of a model: the parameter operand of every Gemm (transA/transB respected for the
 * orientation shown), MatMul and Conv/ConvTranspose. Biases, normalisation parameters and activations' constants
 * are not weight matrices and are not looked at. A parameter used by several nodes (tied weights) is analysed
 * once. Layers that cannot give an ESD are listed with the reason.
 */
public final class WeightMatrices {
    /** WeightWatcher's default: fewer eigenvalues than this give no meaningful fit. */
    public static final int MIN_EIGENVALUES = 10;

    /** A Gemm/MatMul/Conv node that gives no ESD, and why. */
    public record Skipped(String layer, String op, String reason) {}

    public record Found(List<WeightMatrix> matrices, List<Skipped> skipped) {}

    private WeightMatrices() {}

    public static Found find(Model model) {
        Graph g = model.graph();
        List<WeightMatrix> found = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node node : g.nodes()) {
            if (!node.isStandardDomain()) continue;
            String op = node.opType();
            if (!op.equals("Gemm") && !op.equals("MatMul") && !op.equals("Conv") && !op.equals("ConvTranspose")) continue;
            int operand = weightOperand(node, g);
            if (operand < 0) {
                skipped.add(new Skipped(node.label(), op, "no parameter operand (both inputs are computed values)"));
                continue;
            }
            String name = node.input(operand);
            NdArray w = g.parameter(name);
            if (!seen.add(name)) {
                skipped.add(new Skipped(node.label(), op, "shares parameter '" + name + "' with a layer analysed above"));
                continue;
            }
            if (!w.dtype().isFloating()) {
                skipped.add(new Skipped(node.label(), op, "parameter '" + name + "' is " + w.dtype() + ", not floating point"));
                continue;
            }
            WeightMatrix wm = read(node, operand, name, w);
            if (wm == null) {
                skipped.add(new Skipped(node.label(), op, "parameter '" + name + "' of shape " + java.util.Arrays.toString(w.shape())
                        + " is not a matrix"));
            } else if (wm.eigenvalueCount() < MIN_EIGENVALUES) {
                skipped.add(new Skipped(node.label(), op, "only " + wm.eigenvalueCount() + " eigenvalues ("
                        + wm.rows() + "×" + wm.cols() + (wm.slices() > 1 ? " × " + wm.slices() + " slices" : "")
                        + "), fewer than " + MIN_EIGENVALUES));
            } else {
                found.add(wm);
            }
        }
        return new Found(found, skipped);
    }

    /** Which input holds the weight: B (1) for Gemm/MatMul when it is a parameter, else A (0); W (1) for Conv. */
    private static int weightOperand(Node node, Graph g) {
        if (node.opType().startsWith("Conv")) return g.isParameter(node.input(1)) ? 1 : -1;
        if (g.isParameter(node.input(1))) return 1;
        if (g.isParameter(node.input(0))) return 0;
        return -1;
    }

    private static WeightMatrix read(Node node, int operand, String name, NdArray w) {
        long[] s = w.shape();
        String label = node.label();
        String op = node.opType();
        if (op.startsWith("Conv")) {
            if (s.length < 3) return null;
            long taps = 1;
            for (int i = 2; i < s.length; i++) taps *= s[i];
            boolean transposed = op.equals("ConvTranspose");
            long group = node.attributes().getInt("group", 1);
            long out = transposed ? s[1] * group : s[0], in = transposed ? s[0] : s[1];
            String note = taps + " kernel taps of " + s[0] + "×" + s[1] + " pooled" + (group > 1 ? ", group " + group
                    + " (the stored kernel is read as is, one matrix per tap)" : "");
            return new WeightMatrix(label, op, name, s, Math.toIntExact(taps), s[0], s[1], out, in,
                    WeightMatrix.Slicing.CONV_TAPS, note);
        }
        if (s.length < 2) return null;
        long rows = s[s.length - 2], cols = s[s.length - 1];
        long batch = 1;
        for (int i = 0; i < s.length - 2; i++) batch *= s[i];
        WeightMatrix.Slicing slicing = s.length == 2 ? WeightMatrix.Slicing.MATRIX : WeightMatrix.Slicing.BATCHED;
        long out, in;
        String note;
        if (op.equals("Gemm")) {
            boolean trans = node.attributes().getInt(operand == 1 ? "transB" : "transA", 0) != 0;
            // Y = A·B: B is (in, out), or (out, in) with transB; a parameter A is the left factor (out × in)
            if (operand == 1) {
                out = trans ? rows : cols;
                in = trans ? cols : rows;
            } else {
                out = trans ? cols : rows;
                in = trans ? rows : cols;
            }
            note = (operand == 1 ? "B" : "A") + (trans ? " with trans" + (operand == 1 ? "B" : "A") : "") + " (" + out + " out × " + in + " in)";
        } else if (operand == 1) { // X·W: W is (in, out)
            out = cols;
            in = rows;
            note = "right operand (" + out + " out × " + in + " in)" + (batch > 1 ? ", " + batch + " slices pooled" : "");
        } else { // W·X: W is (out, in)
            out = rows;
            in = cols;
            note = "left operand (" + out + " out × " + in + " in)" + (batch > 1 ? ", " + batch + " slices pooled" : "");
        }
        return new WeightMatrix(label, op, name, s, Math.toIntExact(batch), rows, cols, out, in, slicing, note);
    }
}
