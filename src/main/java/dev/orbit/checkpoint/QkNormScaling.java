package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * For q/k-norm decoders (Qwen3): per layer, a scale s_k for every frequency pair (k, k + hd/2), multiplied into the
 * q_norm gain and divided out of the k_norm gain. After the norm, a pair-constant diagonal commutes with the
 * rotary rotation, so (S·R_m q̂)ᵀ(S⁻¹·R_n k̂) = q̂ᵀR_{n−m}k̂. The gains are shared by all heads of a layer, so s is
 * per layer. Maps on the projections themselves are not exact here: the norm divides by the head vector's RMS.
 */
public record QkNormScaling(List<double[]> s) implements CheckpointMove {

    @Override public String obstacle(Architecture arch) {
        if (!(arch instanceof DecoderArchitecture d) || !d.qkNorm()) return "only q/k-norm decoders (Qwen3) have q/k norm gains";
        if (s.size() != d.layers()) return "one scale vector per layer is needed";
        for (double[] v : s) {
            if (v.length != d.headDim() / 2) return "hd/2 scales per layer are needed";
            for (double x : v) if (x == 0 || !Double.isFinite(x)) return "scales must be finite and non-zero";
        }
        return null;
    }

    @Override public List<String> touched(Architecture arch) {
        DecoderArchitecture a = (DecoderArchitecture) arch;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) {
            names.add(a.layer(i, "self_attn.q_norm.weight"));
            names.add(a.layer(i, "self_attn.k_norm.weight"));
        }
        return names;
    }

    @Override public java.util.Set<Integer> axes(Architecture arch, String name) {
        return java.util.Set.of(0);
    }

    @Override public Tensor move(Architecture arch, String name, Weights w) {
        DecoderArchitecture a = (DecoderArchitecture) arch;
        int layer = Layers.of(a, name);
        double[] v = s.get(layer);
        boolean keys = name.endsWith("k_norm.weight");
        int hd = a.headDim();
        double[] f = new double[hd];
        for (int k = 0; k < hd / 2; k++) f[k] = f[k + hd / 2] = keys ? 1 / v[k] : v[k];
        return Edits.scale(w.get(name), 0, f);
    }
}
