package dev.orbit.ode;

import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;

/**
 * The Euler discretisation of a linear neural ODE as plain numbers: x_{k+1} = x_k + h·(w_k x_k + b_k),
 * k = 0..N−1, with w_k = w(t_k), b_k = b(t_k). Two ONNX forms compute the same function:
 * <ul>
 * <li>{@link #residualModel()}: the residual network, MatMul + Add + skip Add per step;</li>
 * <li>{@link #transportModel()}: the skip folded into the layer, one Gemm per step with the integrated weight
 * (transport matrix) W_k = I + h·w_k and bias h·b_k — a deep linear network, x_{k+1} = W_k x_k + h b_k.</li>
 * </ul>
 */
public record EulerChain(double step, double[][][] w, double[][] b) {
    public static EulerChain of(LinearField f, int steps, double endTime) {
        double h = endTime / steps;
        int d = f.dimension();
        double[][][] w = new double[steps][][];
        double[][] b = new double[steps][];
        try (NoGradGuard ng = new NoGradGuard()) {
            for (int k = 0; k < steps; k++) {
                w[k] = Tensors.matrix(f.w().at(k * h));
                b[k] = Tensors.values(f.b().at(k * h));
            }
        }
        return new EulerChain(h, w, b);
    }

    public int steps() { return w.length; }

    public int dimension() { return b[0].length; }

    /** W_k = I + h·w_k, the integrated weight of step k. */
    public double[][] transport(int k) {
        int d = dimension();
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) m[i][j] = (i == j ? 1 : 0) + step * w[k][i][j];
        return m;
    }

    /**
     * The chain seen in the diagonal gauge x'_k = D_k x_k, D_k = diag(e^{g[k]}), g[0] = g[N] = 0: the discrete
     * spatial gauge W_k → D_{k+1} W_k D_k⁻¹ (row form: e^{−g(t)} W e^{g(t+Δt)}), b_k → D_{k+1} b_k, written back
     * in residual form w'_k = (W'_k − I)/h = D_{k+1} w_k D_k⁻¹ + (D_{k+1} D_k⁻¹ − I)/h — the discrete
     * w' = G w G⁻¹ + Ġ G⁻¹.
     */
    public EulerChain gauged(double[][] g) {
        int n = steps();
        int d = dimension();
        if (g.length != n + 1) throw new IllegalArgumentException("need g at the N+1 grid times");
        for (double v : g[0]) if (v != 0) throw new IllegalArgumentException("g(0) must be 0: the input is fixed");
        for (double v : g[n]) if (v != 0) throw new IllegalArgumentException("g(T) must be 0: the output is fixed");
        double[][][] w2 = new double[n][d][d];
        double[][] b2 = new double[n][d];
        for (int k = 0; k < n; k++) {
            double[][] wk = transport(k);
            for (int i = 0; i < d; i++) {
                double up = Math.exp(g[k + 1][i]);
                for (int j = 0; j < d; j++) {
                    double moved = up * wk[i][j] / Math.exp(g[k][j]);
                    w2[k][i][j] = (moved - (i == j ? 1 : 0)) / step;
                }
                b2[k][i] = up * b[k][i];
            }
        }
        return new EulerChain(step, w2, b2);
    }

    /** Residual network: x_{k+1} = x_k + (x_k·(h w_k)ᵀ + h b_k). Parameters step{k}.weight [d, d] (= (h w_k)ᵀ), step{k}.bias. */
    public Model residualModel() {
        GraphWriter out = new GraphWriter();
        String x = GraphWriter.INPUT;
        int d = dimension();
        for (int k = 0; k < steps(); k++) {
            double[] wt = new double[d * d];
            double[] hb = new double[d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) wt[j * d + i] = step * w[k][i][j];
                hb[i] = step * b[k][i];
            }
            String u = out.op("Add", out.op("MatMul", x, out.constant("step" + k + ".weight", NdArray.ofDoubles(wt, d, d))),
                    out.constant("step" + k + ".bias", NdArray.ofDoubles(hb, d)));
            x = k == steps() - 1 ? out.opTo(GraphWriter.OUTPUT, "Add", Attributes.NONE, x, u) : out.op("Add", x, u);
        }
        return out.model("euler_residual_chain", d, "Euler residual chain, " + steps() + " steps of " + step, Map.of());
    }

    /** Deep linear network: Gemm(x_k, W_k, h b_k, transB = 1), parameters step{k}.W [d, d] (rows = outputs), step{k}.c. */
    public Model transportModel() {
        GraphWriter out = new GraphWriter();
        String x = GraphWriter.INPUT;
        int d = dimension();
        Attributes transB = Attributes.NONE.with("transB", new Attr.Int(1));
        for (int k = 0; k < steps(); k++) {
            double[][] m = transport(k);
            double[] flat = new double[d * d];
            double[] hb = new double[d];
            for (int i = 0; i < d; i++) {
                System.arraycopy(m[i], 0, flat, i * d, d);
                hb[i] = step * b[k][i];
            }
            String wName = out.constant(transportName(k), NdArray.ofDoubles(flat, d, d));
            String cName = out.constant("step" + k + ".c", NdArray.ofDoubles(hb, d));
            x = k == steps() - 1 ? out.opTo(GraphWriter.OUTPUT, "Gemm", transB, x, wName, cName) : out.op("Gemm", transB, x, wName, cName);
        }
        return out.model("euler_transport_chain", d, "Euler chain with the skip folded in: W_k = I + h w_k", Map.of());
    }

    static String transportName(int k) { return "step" + k + ".W"; }

    /** Reads a transport model (possibly moved by Orbit) back into residual form w_k = (W_k − I)/h, b_k = c_k/h. */
    public static EulerChain fromTransportModel(Model m, double step) {
        var g = m.graph();
        int n = 0;
        while (g.isParameter(transportName(n))) n++;
        int d = (int) g.parameter(transportName(0)).dim(0);
        double[][][] w = new double[n][d][d];
        double[][] b = new double[n][d];
        for (int k = 0; k < n; k++) {
            double[] flat = g.parameter(transportName(k)).toDoubleArray();
            double[] c = g.parameter("step" + k + ".c").toDoubleArray();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) w[k][i][j] = (flat[i * d + j] - (i == j ? 1 : 0)) / step;
                b[k][i] = c[i] / step;
            }
        }
        return new EulerChain(step, w, b);
    }

    /** Runs the chain in plain Java (a reference independent of libtorch and ONNX Runtime). */
    public double[] run(double[] x0) {
        double[] x = x0.clone();
        int d = dimension();
        for (int k = 0; k < steps(); k++) {
            double[] next = new double[d];
            for (int i = 0; i < d; i++) {
                double s = b[k][i];
                for (int j = 0; j < d; j++) s += w[k][i][j] * x[j];
                next[i] = x[i] + step * s;
            }
            x = next;
        }
        return x;
    }
}
