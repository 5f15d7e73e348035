package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.checkpoint.AttentionLayout.Role;

/**
 * Attention heads reordered per layer: new key/value head g is old head {@code kvOrder[g]} and takes its whole
 * query group along; within the group, new query offset r is old offset {@code within[g][r]} (query heads of one
 * group share their key and value, so they permute freely). q, k, v rows (biases too) and the output projection's
 * column blocks move together; q/k norms are shared by all heads and stay. GPT-2 and BERT: one query head per group.
 */
public record HeadPermutation(List<long[]> kvOrder, List<long[][]> within) implements CheckpointMove {

    @Override public String obstacle(Architecture a) {
        for (int i = 0; i < a.layers(); i++) {
            AttentionLayout l = AttentionLayout.of(a, i);
            if (!HeadMaps.isPermutation(kvOrder.get(i), l.kvHeads())) return "layer " + i + ": kvOrder is not a permutation of " + l.kvHeads() + " heads";
            for (long[] w : within.get(i)) if (!HeadMaps.isPermutation(w, l.groupSize())) return "layer " + i + ": a group order is not a permutation";
        }
        return null;
    }

    /** New query head → old query head. */
    long[] queryOrder(AttentionLayout l, int layer) {
        int g = l.groupSize();
        long[] order = new long[l.heads()];
        for (int b = 0; b < l.kvHeads(); b++) {
            for (int r = 0; r < g; r++) order[b * g + r] = kvOrder.get(layer)[b] * g + within.get(layer)[b][r];
        }
        return order;
    }

    @Override public List<String> touched(Architecture a) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) names.addAll(AttentionLayout.of(a, i).tensors(Role.Q, Role.K, Role.V, Role.O));
        return names;
    }

    @Override public java.util.Set<Integer> axes(Architecture a, String name) {
        return AttentionLayout.of(a, Layers.of(a, name)).axes(name, Role.Q, Role.K, Role.V, Role.O);
    }

    @Override public Tensor move(Architecture a, String name, Weights w) {
        int layer = Layers.of(a, name);
        AttentionLayout l = AttentionLayout.of(a, layer);
        long[] q = queryOrder(l, layer);
        Tensor t = w.get(name);
        t = l.permute(name, t, Role.Q, q);
        t = l.permute(name, t, Role.K, kvOrder.get(layer));
        t = l.permute(name, t, Role.V, kvOrder.get(layer));
        return l.permute(name, t, Role.O, q);
    }
}
