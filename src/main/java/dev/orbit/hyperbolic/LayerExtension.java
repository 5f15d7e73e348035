package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Case 1 of the seed, for a model trained without the length product: the exactly function-preserving part. A layer
 * y = Wx + b (W: n×m, possibly singular, e.g. a product AB of lower rank) is embedded in the invertible 2N×2N matrix
 * E = [[M, I], [I, 0]] (M = W padded to N×N, N = max(n, m); E⁻¹ = [[0, I], [I, −M]] whatever M is), and factored
 * through a random invertible G: y = Π·(E·G⁻¹)·(G·ι(x)) + b, with ι(x) = (x, 0…) and Π the first n rows. The Gemm
 * becomes two Gemms of hidden width 2N with nothing between them, so the new hidden space carries a full GL(2N)
 * symmetry (G ↦ HG for any invertible H). G = Q·diag(e^u) with Q Haar-orthogonal and u uniform in [−r, r], so its
 * inverse diag(e^{−u})·Qᵀ is exact and its condition number is at most e^{2r}. Replacing the product itself by a
 * hyperbolic-length product is not function-preserving (docs/HYPERBOLIC.md says why).
 */
public final class LayerExtension {
    private LayerExtension() {}

    public static Model extend(Model model, String gemm, double range, long seed) {
        Graph g = model.graph();
        Node node = g.nodes().stream().filter(n -> n.name().equals(gemm)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named '" + gemm + "'"));
        var at = node.attributes();
        if (!node.opType().equals("Gemm") || at.getInt("transA", 0) != 0 || at.getFloat("alpha", 1) != 1 || at.getFloat("beta", 1) != 1) {
            throw new IllegalArgumentException("'" + gemm + "' must be a Gemm with transA = 0 and alpha = beta = 1");
        }
        NdArray weight = g.parameter(node.input(1));
        if (weight == null) throw new IllegalArgumentException("the weight of '" + gemm + "' is not a parameter");
        boolean transB = at.getInt("transB", 0) != 0;
        int n = (int) (transB ? weight.dim(0) : weight.dim(1));
        int m = (int) (transB ? weight.dim(1) : weight.dim(0));
        double[] w = weight.toDoubleArray();
        int big = Math.max(n, m);
        int size = 2 * big;
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = dev.orbit.numeric.Matrices.haarOrthogonal(size, rng);
        double[] scale = new double[size];
        for (int i = 0; i < size; i++) scale[i] = Math.exp(range == 0 ? 0 : rng.nextDouble(-range, range));
        // first Gemm, weight [2N, m] (transB = 1): G·ι(x) uses the first m columns of G = Q·diag(e^u)
        double[] in = new double[size * m];
        for (int i = 0; i < size; i++) for (int j = 0; j < m; j++) in[i * m + j] = q[i][j] * scale[j];
        // second Gemm, weight [n, 2N]: rows of [M, I] times G⁻¹ = diag(e^{−u})·Qᵀ
        double[] out = new double[n * size];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < size; c++) {
                double s = 0;
                for (int k = 0; k < m; k++) s += weightAt(w, transB, r, k, n, m) * q[c][k] / scale[k];
                s += q[c][big + r] / scale[big + r]; // the identity block: row r of [M, I] has a 1 at column N + r
                out[r * size + c] = s;
            }
        }
        String hidden = node.name() + ".extended";
        String inName = node.name() + ".extend_in.weight";
        String outName = node.name() + ".extend_out.weight";
        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        params.put(inName, array(in, weight.dtype(), size, m));
        params.put(outName, array(out, weight.dtype(), n, size));
        List<String> outInputs = new ArrayList<>(List.of(hidden, outName));
        if (node.inputs().size() > 2 && !node.input(2).isEmpty()) outInputs.add(node.input(2));
        Attributes t = Attributes.NONE.with("transB", new Attr.Int(1));
        List<Node> nodes = new ArrayList<>();
        for (Node x : g.nodes()) {
            if (x != node) {
                nodes.add(x);
                continue;
            }
            nodes.add(new Node(node.name() + ".extend_in", "Gemm", List.of(node.input(0), inName), List.of(hidden), t));
            nodes.add(new Node(node.name(), "Gemm", outInputs, node.outputs(), t));
        }
        if (g.consumers(node.input(1)).size() == 1) params.remove(node.input(1));
        return model.withGraph(g.withNodes(nodes, params));
    }

    private static double weightAt(double[] w, boolean transB, int row, int col, int n, int m) {
        return transB ? w[row * m + col] : w[col * n + row];
    }

    private static NdArray array(double[] v, DType dtype, long... shape) {
        return dtype == DType.FLOAT64 ? NdArray.ofDoubles(v, shape) : Precision.convert(NdArray.ofDoubles(v, shape), dtype);
    }
}
