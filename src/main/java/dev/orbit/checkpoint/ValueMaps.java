package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.checkpoint.AttentionLayout.Role;

/**
 * An invertible C_g (hd × hd) per layer and key/value head on the values: v rows of head g → C_g·rows (bias
 * C_g·b), and the output projection reads each query head j of g's group through C_g⁻¹. Exact for every family
 * (softmax weights mix value vectors linearly: P·v·C_gᵀ·C_g⁻ᵀ·W_o = P·v·W_o). GPT-2 and BERT have one key/value
 * head per query head.
 */
public record ValueMaps(List<List<double[][]>> c) implements CheckpointMove {

    @Override public String obstacle(Architecture a) {
        return HeadMaps.checkSizes(a, c, "value maps");
    }

    @Override public List<String> touched(Architecture a) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) names.addAll(AttentionLayout.of(a, i).tensors(Role.V, Role.O));
        return names;
    }

    @Override public java.util.Set<Integer> axes(Architecture a, String name) {
        return AttentionLayout.of(a, Layers.of(a, name)).axes(name, Role.V, Role.O);
    }

    @Override public Tensor move(Architecture a, String name, Weights w) {
        int layer = Layers.of(a, name);
        AttentionLayout l = AttentionLayout.of(a, layer);
        Tensor[] v = HeadMaps.tensors(c.get(layer));
        Tensor t = l.map(name, w.get(name), Role.V, v);
        return l.map(name, t, Role.O, HeadMaps.perQueryHead(l, v));
    }
}
