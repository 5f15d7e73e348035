package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Where one layer's attention heads live in the checkpoint's tensors, so head moves are written once for every
 * family. A slot is a tensor whose channels along {@code axis} hold {@code count} blocks of {@code headDim} starting
 * at {@code offset}: output slots (q, k, v projections and their biases) produce head vectors, the input slot (the
 * output projection) reads them. GPT-2 keeps q, k and v in one fused Conv1D, so three slots share a tensor.
 */
record AttentionLayout(int heads, int kvHeads, int headDim, List<Slot> slots) {

    enum Role { Q, K, V, O }

    /** {@code input}: the tensor reads head vectors (output projection); otherwise it produces them. */
    record Slot(Role role, String tensor, int axis, long offset, boolean input) {}

    static AttentionLayout of(Architecture arch, int i) {
        List<Slot> s = new ArrayList<>();
        return switch (arch) {
            case DecoderArchitecture a -> {
                for (Role r : new Role[] {Role.Q, Role.K, Role.V}) {
                    String proj = "self_attn." + r.name().toLowerCase() + "_proj.";
                    s.add(new Slot(r, a.layer(i, proj + "weight"), 0, 0, false));
                    if (a.qkvBias()) s.add(new Slot(r, a.layer(i, proj + "bias"), 0, 0, false));
                }
                s.add(new Slot(Role.O, a.layer(i, "self_attn.o_proj.weight"), 1, 0, true));
                yield new AttentionLayout(a.heads(), a.kvHeads(), a.headDim(), s);
            }
            case Gpt2Architecture g -> {
                long d = g.hiddenSize();
                Role[] roles = {Role.Q, Role.K, Role.V};
                for (int k = 0; k < 3; k++) {
                    s.add(new Slot(roles[k], g.layer(i, "attn.c_attn.weight"), 1, k * d, false));
                    s.add(new Slot(roles[k], g.layer(i, "attn.c_attn.bias"), 0, k * d, false));
                }
                s.add(new Slot(Role.O, g.layer(i, "attn.c_proj.weight"), 0, 0, true));
                yield new AttentionLayout(g.heads(), g.heads(), g.headDim(), s);
            }
            case BertArchitecture b -> {
                String[] names = {"query", "key", "value"};
                Role[] roles = {Role.Q, Role.K, Role.V};
                for (int k = 0; k < 3; k++) {
                    s.add(new Slot(roles[k], b.layer(i, "attention.self." + names[k] + ".weight"), 0, 0, false));
                    s.add(new Slot(roles[k], b.layer(i, "attention.self." + names[k] + ".bias"), 0, 0, false));
                }
                s.add(new Slot(Role.O, b.layer(i, "attention.output.dense.weight"), 1, 0, true));
                yield new AttentionLayout(b.heads(), b.heads(), b.headDim(), s);
            }
        };
    }

    int groupSize() { return heads / kvHeads; }

    /** The axes along which the slots of {@code roles} in tensor {@code name} hold head blocks. */
    java.util.Set<Integer> axes(String name, Role... roles) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (Slot s : slots) if (s.tensor.equals(name) && List.of(roles).contains(s.role)) out.add(s.axis);
        return out;
    }

    int blocks(Role r) { return r == Role.K || r == Role.V ? kvHeads : heads; }

    List<String> tensors(Role... roles) {
        List<String> out = new ArrayList<>();
        for (Slot s : slots) if (List.of(roles).contains(s.role) && !out.contains(s.tensor)) out.add(s.tensor);
        return out;
    }

    /**
     * A head vector map M (hd × hd) per block of {@code role}: output slots get h → M·h, the input slot reads
     * through M⁻¹ so the composition is unchanged. Null entries leave a block alone.
     */
    Tensor map(String name, Tensor t, Role role, Tensor[] maps) {
        for (Slot s : slots) {
            if (!s.tensor.equals(name) || s.role != role) continue;
            for (int b = 0; b < maps.length; b++) {
                if (maps[b] == null) continue;
                long from = s.offset + (long) b * headDim;
                Tensor m = maps[b];
                if (!s.input) t = s.axis == 0 ? Edits.rows(t, from, headDim, m) : Edits.cols(t, from, headDim, m.t());
                else {
                    Tensor inv = torch.linalg_inv(m);
                    t = s.axis == 1 ? Edits.cols(t, from, headDim, inv) : Edits.rows(t, from, headDim, inv.t());
                }
            }
        }
        return t;
    }

    /** Blocks of {@code role} reordered: new block b is old block {@code blocks[b]}. */
    Tensor permute(String name, Tensor t, Role role, long[] blocks) {
        for (Slot s : slots) {
            if (!s.tensor.equals(name) || s.role != role) continue;
            long size = t.size(s.axis);
            long[] index = new long[(int) size];
            for (int c = 0; c < size; c++) index[c] = c;
            long[] moved = Edits.blockIndex(blocks, headDim);
            for (int c = 0; c < moved.length; c++) index[(int) s.offset + c] = s.offset + moved[c];
            t = Edits.permute(t, s.axis, index);
        }
        return t;
    }
}
