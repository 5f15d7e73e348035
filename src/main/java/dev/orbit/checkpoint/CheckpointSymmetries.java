package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The symmetries Orbit moves a checkpoint along, read from its architecture: one row per kind of space, with the
 * group, how many copies, and whether the move is exact for this family (the move's own {@link CheckpointMove#obstacle}
 * decides, so this listing and the moves cannot disagree).
 */
public final class CheckpointSymmetries {
    private CheckpointSymmetries() {}

    public record Space(String space, String group, String copies, String tensors, String refused) {}

    public static List<Space> of(Architecture a) {
        List<Space> out = new ArrayList<>();
        int layers = a.layers();
        int d = a.hiddenSize();
        String perLayer = layers + " (one per layer)";
        AttentionLayout l = AttentionLayout.of(a, 0);
        ResidualRotation rot = new ResidualRotation(new Orthogonal.KroneckerHadamard(1, d, new double[d])); // only its size matters to obstacle()
        String hadamard = CheckpointTeleport.hadamard(d);
        out.add(new Space("residual stream (" + d + ")", "O(" + d + "), norm gains folded first; fast Hadamard " + hadamard, "1",
                "embedding, every reader and writer, head", rot.obstacle(a)));
        int inner = switch (a) {
            case DecoderArchitecture x -> x.intermediateSize();
            case Gpt2Architecture g -> g.innerSize();
            case BertArchitecture b -> b.intermediateSize();
        };
        boolean swiglu = a instanceof DecoderArchitecture;
        out.add(new Space("MLP channels (" + inner + ")", swiglu ? "S_" + inner + " ⋉ (R≠0)^" + inner + " (up ×τ, down ÷τ; gate permutes only)"
                : "S_" + inner + " (GELU: permutations only)", perLayer, swiglu ? "gate, up, down" : "fc in, fc out", MoveSampler.mlp(a, 4, 0).obstacle(a)));
        out.add(new Space("heads (" + l.heads() + " query, " + l.kvHeads() + " kv)", "S_" + l.kvHeads() + " on kv heads with their groups × S_"
                + l.groupSize() + " within each group", perLayer, "q, k, v, o", MoveSampler.heads(a, 0).obstacle(a)));
        out.add(new Space("values (" + l.kvHeads() + " × " + l.headDim() + ")", "GL(" + l.headDim() + ") per kv head, inverse on o_proj", perLayer,
                "v, o", MoveSampler.values(a, 10, 0).obstacle(a)));
        if (a instanceof DecoderArchitecture x && x.qkNorm()) {
            out.add(new Space("q/k norm gains (" + x.headDim() / 2 + " frequency pairs)", "(R≠0)^" + x.headDim() / 2 + ": q gain ×s, k gain ÷s",
                    perLayer, "q_norm, k_norm", MoveSampler.qkNorm(x, 0).obstacle(a)));
            out.add(new Space("queries/keys", "none on the projections: the q/k norms sit between projection and rotation", perLayer, "q, k",
                    MoveSampler.rotaryQueryKeys(x, 0).obstacle(a)));
        } else if (a instanceof DecoderArchitecture x) {
            out.add(new Space("queries/keys (" + x.kvHeads() + " × " + x.headDim() / 2 + " frequency pairs)", "(R≠0 × SO(2))^" + x.headDim() / 2
                    + " per kv head on pairs (k, k + hd/2): commutes with RoPE (general GL(hd) does not)", perLayer, "q, k",
                    MoveSampler.rotaryQueryKeys(x, 0).obstacle(a)));
        } else {
            out.add(new Space("queries/keys (" + l.heads() + " × " + l.headDim() + ")", "GL(" + l.headDim() + ") per head, inverse transpose on keys",
                    perLayer, "q, k", MoveSampler.queryKeys(a, 10, 0).obstacle(a)));
        }
        return out;
    }

    public static String text(Checkpoint c) {
        Architecture a = c.architecture();
        StringBuilder b = new StringBuilder(c.folder() + ": " + a.family().modelType + ", " + a.layers() + " layers, width " + a.hiddenSize()
                + ", vocabulary " + a.vocabSize() + ", " + c.tensors().shardNames().size() + " shard(s), " + c.tensors().tensorBytes() + " tensor bytes\n");
        for (Space s : of(a)) {
            b.append(s.refused == null ? "  free   " : "  fixed  ").append(s.space).append(": ").append(s.group).append("; ×").append(s.copies)
                    .append("; moves ").append(s.tensors).append('\n');
            if (s.refused != null) b.append("         why fixed: ").append(s.refused).append('\n');
        }
        return b.toString();
    }

    public static Map<String, Object> json(Checkpoint c) {
        Architecture a = c.architecture();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("folder", c.folder().toString());
        m.put("family", a.family().modelType);
        m.put("layers", a.layers());
        m.put("hidden_size", a.hiddenSize());
        m.put("vocab_size", a.vocabSize());
        m.put("tensor_bytes", c.tensors().tensorBytes());
        List<Map<String, Object>> spaces = new ArrayList<>();
        for (Space s : of(a)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("space", s.space);
            e.put("group", s.group);
            e.put("copies", s.copies);
            e.put("tensors", s.tensors);
            e.put("free", s.refused == null);
            if (s.refused != null) e.put("why_fixed", s.refused);
            spaces.add(e);
        }
        m.put("spaces", spaces);
        return m;
    }
}
