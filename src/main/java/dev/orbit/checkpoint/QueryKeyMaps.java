package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.checkpoint.AttentionLayout.Role;

/**
 * An invertible A_g (hd × hd) per layer and key/value head on queries and keys: q rows of every query head in
 * g's group → A_g·rows, k rows of head g → A_g⁻ᵀ·rows (biases alike), so qᵀk is unchanged. Exact for GPT-2 and
 * BERT (no position-dependent map between the projections and the product). Under rotary embeddings the score is
 * qᵀR_δk and only A commuting with every R_δ survive ({@link RotaryQueryKeyMaps}): a general A changes the function,
 * which {@link #obstacle} says and the tests measure.
 */
public record QueryKeyMaps(List<List<double[][]>> a) implements CheckpointMove {

    @Override public String obstacle(Architecture arch) {
        if (arch instanceof DecoderArchitecture) {
            return "rotary embeddings sit between the projections and qᵀk: only per-frequency rotation-and-scale blocks commute with them";
        }
        return HeadMaps.checkSizes(arch, a, "query/key maps");
    }

    @Override public List<String> touched(Architecture arch) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arch.layers(); i++) names.addAll(AttentionLayout.of(arch, i).tensors(Role.Q, Role.K));
        return names;
    }

    @Override public java.util.Set<Integer> axes(Architecture arch, String name) {
        return AttentionLayout.of(arch, Layers.of(arch, name)).axes(name, Role.Q, Role.K);
    }

    @Override public Tensor move(Architecture arch, String name, Weights w) {
        int layer = Layers.of(arch, name);
        AttentionLayout l = AttentionLayout.of(arch, layer);
        Tensor[] q = HeadMaps.tensors(a.get(layer));
        Tensor[] k = new Tensor[q.length];
        for (int g = 0; g < q.length; g++) k[g] = torch.linalg_inv(q[g]).t();
        Tensor t = l.map(name, w.get(name), Role.Q, HeadMaps.perQueryHead(l, q));
        return l.map(name, t, Role.K, k);
    }
}
