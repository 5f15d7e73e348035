package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * The query/key maps that commute with rotary embeddings in Hugging Face's layout: per layer and key/value head, on
 * every frequency pair (k, k + hd/2), a rotation by φ_k scaled by ρ_k on the queries and the same rotation scaled
 * by 1/ρ_k on the keys (A = ⊕ ρ_k R(φ_k), A⁻ᵀ = ⊕ ρ_k⁻¹ R(φ_k)). 2-D rotations commute with the position rotations,
 * so (R_m A q)ᵀ(R_n A⁻ᵀ k) = qᵀR_{n−m}k. A per-head scalar α on the keys with 1/α on the queries is the case φ = 0,
 * ρ constant. Not for q/k-norm models (Qwen3): the norm sits between the projection and the rotation
 * ({@link QkNormScaling}).
 */
public record RotaryQueryKeyMaps(List<List<double[]>> rho, List<List<double[]>> phi) implements CheckpointMove {

    @Override public String obstacle(Architecture arch) {
        if (!(arch instanceof DecoderArchitecture d)) return "no rotary embeddings here: general query/key maps apply (QueryKeyMaps)";
        if (d.qkNorm()) return "q/k norms normalise each head before the rotation: only their gains can move (QkNormScaling)";
        if (rho.size() != d.layers() || phi.size() != d.layers()) return "one set of blocks per layer is needed";
        for (int i = 0; i < d.layers(); i++) {
            if (rho.get(i).size() != d.kvHeads() || phi.get(i).size() != d.kvHeads()) return "layer " + i + ": one set of blocks per key/value head is needed";
            for (int g = 0; g < d.kvHeads(); g++) {
                if (rho.get(i).get(g).length != d.headDim() / 2 || phi.get(i).get(g).length != d.headDim() / 2) return "hd/2 blocks per head are needed";
                for (double r : rho.get(i).get(g)) if (r == 0 || !Double.isFinite(r)) return "block scales must be finite and non-zero";
            }
        }
        return null;
    }

    /** The same move as general per-head matrices (block structure made explicit). */
    public QueryKeyMaps asMatrices(int headDim) {
        List<List<double[][]>> out = new ArrayList<>();
        for (int i = 0; i < rho.size(); i++) {
            List<double[][]> layer = new ArrayList<>();
            for (int g = 0; g < rho.get(i).size(); g++) layer.add(blocks(rho.get(i).get(g), phi.get(i).get(g), headDim));
            out.add(layer);
        }
        return new QueryKeyMaps(out);
    }

    /** ⊕_k ρ_k R(φ_k) on pairs (k, k + hd/2). */
    static double[][] blocks(double[] rho, double[] phi, int hd) {
        double[][] a = new double[hd][hd];
        int half = hd / 2;
        for (int k = 0; k < half; k++) {
            double c = rho[k] * Math.cos(phi[k]), s = rho[k] * Math.sin(phi[k]);
            a[k][k] = c;
            a[k][k + half] = -s;
            a[k + half][k] = s;
            a[k + half][k + half] = c;
        }
        return a;
    }

    @Override public List<String> touched(Architecture arch) {
        return asMatrices(((DecoderArchitecture) arch).headDim()).touched(arch);
    }

    @Override public java.util.Set<Integer> axes(Architecture arch, String name) {
        return asMatrices(((DecoderArchitecture) arch).headDim()).axes(arch, name);
    }

    @Override public Tensor move(Architecture arch, String name, Weights w) {
        return asMatrices(((DecoderArchitecture) arch).headDim()).move(arch, name, w);
    }
}
