package dev.orbit.quant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.NdArray;

/**
 * Bias absorption (Nagel et al. 2019): where a Conv or Gemm with a bias feeds a ReLU whose only readers are Convs or
 * Gemms with biases, channel i's pre-activation x_i ≥ c_i implies relu(x_i) = relu(x_i − c_i) + c_i, so c_i leaves
 * the first bias and enters the next as W·c. The paper takes c from BatchNorm statistics (β − 3γ); here c_i is the
 * smallest pre-activation seen on the calibration data (never below 0), so the rewrite is exact on those inputs and
 * only approximate elsewhere; a next Conv with zero padding also sees c at its borders where the original saw 0.
 * It changes the float function on purpose, so the caller reports its float error.
 */
public final class BiasAbsorption {
    private BiasAbsorption() {}

    public record Result(Model model, int absorbed) {}

    public static Result absorb(Model m, Map<String, NdArray> calibration) {
        Graph g = m.graph();
        List<Node[]> chains = new ArrayList<>();
        for (Node p : g.nodes()) {
            if (!p.opType().equals("Conv") && !p.opType().equals("Gemm") || !hasBias(g, p)) continue;
            if (p.opType().equals("Gemm") && p.attributes().getInt("transA", 0) != 0) continue;
            List<Node> c = g.consumers(p.output(0));
            if (c.size() != 1 || !c.getFirst().opType().equals("Relu")) continue;
            List<Node> next = g.consumers(c.getFirst().output(0));
            boolean ok = !next.isEmpty();
            for (Node n : next) {
                ok &= (n.opType().equals("Conv") && n.attributes().getInt("group", 1) == 1 || n.opType().equals("Gemm")
                        && n.attributes().getInt("transA", 0) == 0) && hasBias(g, n) && n.input(0).equals(c.getFirst().output(0));
            }
            if (ok) chains.add(new Node[] {p, c.getFirst()});
        }
        if (chains.isEmpty()) return new Result(m, 0);
        List<String> pre = chains.stream().map(ch -> ch[0].output(0)).toList();
        Map<String, NdArray> values = Calibration.values(m, pre, calibration);
        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        int absorbed = 0;
        for (Node[] ch : chains) {
            Node p = ch[0];
            NdArray x = values.get(p.output(0));
            int axis = 1; // Conv [N, C, …] and Gemm [N, C] both keep channels on axis 1
            double[] c = minPerChannel(x, axis);
            double[] b1 = params.get(p.input(2)).toDoubleArray();
            if (b1.length != c.length) continue;
            for (int i = 0; i < c.length; i++) {
                c[i] = Math.max(0, c[i]);
                if (c[i] > 0) absorbed++;
                b1[i] -= c[i];
            }
            params.put(p.input(2), floats(b1, params.get(p.input(2)).shape()));
            for (Node n : g.consumers(ch[1].output(0))) {
                NdArray w = params.get(n.input(1));
                double[] wv = w.toDoubleArray();
                double[] b2 = params.get(n.input(2)).toDoubleArray();
                long[] s = w.shape();
                boolean gemmT = n.opType().equals("Gemm") && n.attributes().getInt("transB", 0) != 0;
                if (n.opType().equals("Conv") || gemmT) {
                    int out = Math.toIntExact(s[0]);
                    int in = Math.toIntExact(s[1]);
                    int k = wv.length / (out * in);
                    for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) for (int j = 0; j < k; j++) b2[o] += wv[(o * in + i) * k + j] * c[i];
                } else {
                    int in = Math.toIntExact(s[0]);
                    int out = Math.toIntExact(s[1]);
                    for (int i = 0; i < in; i++) for (int o = 0; o < out; o++) b2[o] += wv[i * out + o] * c[i];
                }
                params.put(n.input(2), floats(b2, params.get(n.input(2)).shape()));
            }
        }
        return new Result(m.withGraph(g.withParameters(params)), absorbed);
    }

    private static boolean hasBias(Graph g, Node n) {
        String b = n.input(2);
        return !b.isEmpty() && g.isParameter(b) && g.parameter(b).rank() == 1 && g.consumers(b).size() == 1;
    }

    private static double[] minPerChannel(NdArray x, int axis) {
        double[] v = x.toDoubleArray();
        long[] shape = x.shape();
        int ch = Math.toIntExact(shape[axis]);
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        double[] out = new double[ch];
        java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
        for (int i = 0; i < v.length; i++) {
            int c = (int) ((i / inner) % ch);
            out[c] = Math.min(out[c], v[i]);
        }
        return out;
    }

    private static NdArray floats(double[] v, long[] shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return NdArray.ofFloats(f, shape);
    }
}
