package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The residual stream rotated by an orthogonal Q (d × d), x → x·Q, after folding every RMSNorm gain into the
 * linear maps that read it (QuaRot/SpinQuant R1). RMSNorm without gain commutes with Q (‖xQ‖ = ‖x‖, ε included),
 * so: embedding E → E·Q; readers (q, k, v, gate, up, head) W → W·diag(g)·Q; writers (o_proj, down_proj)
 * W → Qᵀ·W, their biases b → b·Q; gains → 1. Biases of readers (Qwen2's q/k/v) are outputs and stay.
 * A tied head becomes untied ({@code lm_head.weight} = E·diag(g_final)·Q, a new tensor): the rotated embedding and
 * the folded head differ. LLaMA-style decoders only: GPT-2's LayerNorm would also need a Q that fixes the all-ones
 * direction, and BERT is post-norm (its normalised values are the stream), so neither rotates exactly here.
 */
public record ResidualRotation(Orthogonal q) implements CheckpointMove {

    public ResidualRotation(double[][] q) {
        this(new Orthogonal.Dense(q));
    }

    @Override public String obstacle(Architecture a) {
        return switch (a) {
            case DecoderArchitecture d when d.head() == null -> "a model without a head outputs the normed stream itself, which the rotation changes";
            case DecoderArchitecture d when q.size() != d.hiddenSize() -> "Q is " + q.size() + "×" + q.size() + ", the stream is " + d.hiddenSize() + " wide";
            case DecoderArchitecture d -> null;
            case Gpt2Architecture g -> "GPT-2's LayerNorm subtracts the mean (Q would have to fix the all-ones direction), and folding ln_f's bias into the tied head makes a logits bias GPT-2 has no tensor for";
            case BertArchitecture b -> "BERT is post-norm: the normalised values, gain included, are the residual stream, so no rotation commutes with the norm";
        };
    }

    @Override public Architecture after(Architecture a) {
        if (a instanceof DecoderArchitecture d && d.tied()) {
            return new DecoderArchitecture(d.family(), d.prefix(), d.hiddenSize(), d.intermediateSize(), d.layers(), d.heads(),
                    d.kvHeads(), d.headDim(), d.vocabSize(), d.rmsNormEps(), d.ropeTheta(), false, d.qkvBias(), d.outputBias(),
                    d.mlpBias(), d.qkNorm(), "lm_head.weight", d.slidingWindow());
        }
        return a;
    }

    @Override public List<String> touched(Architecture arch) {
        DecoderArchitecture a = (DecoderArchitecture) arch;
        List<String> names = new ArrayList<>(List.of(a.embedding()));
        for (int i = 0; i < a.layers(); i++) {
            for (String s : new String[] {"input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight",
                    "self_attn.v_proj.weight", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
                    "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight"}) names.add(a.layer(i, s));
            if (a.outputBias()) names.add(a.layer(i, "self_attn.o_proj.bias"));
            if (a.mlpBias()) names.add(a.layer(i, "mlp.down_proj.bias"));
        }
        names.add(a.finalNorm());
        names.add("lm_head.weight");
        return names;
    }

    @Override public Tensor move(Architecture arch, String name, Weights w) {
        DecoderArchitecture a = (DecoderArchitecture) arch;
        if (name.equals(a.embedding())) return q.right(w.get(name));
        if (name.equals("lm_head.weight")) return q.right(w.get(a.head()).mul(w.get(a.finalNorm())));
        if (name.equals(a.finalNorm()) || name.endsWith("layernorm.weight")) return torch.ones_like(w.get(name));
        int layer = layerOf(a, name);
        String suffix = name.substring(a.layer(layer, "").length());
        return switch (suffix) {
            case "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight" ->
                    q.right(w.get(name).mul(w.get(a.layer(layer, "input_layernorm.weight"))));
            case "mlp.gate_proj.weight", "mlp.up_proj.weight" ->
                    q.right(w.get(name).mul(w.get(a.layer(layer, "post_attention_layernorm.weight"))));
            case "self_attn.o_proj.weight", "mlp.down_proj.weight" -> q.leftTransposed(w.get(name));
            case "self_attn.o_proj.bias", "mlp.down_proj.bias" -> q.right(w.get(name));
            default -> throw new IllegalArgumentException("the residual rotation does not touch " + name);
        };
    }

    /** Readers, the embedding and the head act along their columns (row-chunkable); writers along their rows. */
    @Override public java.util.Set<Integer> axes(Architecture arch, String name) {
        DecoderArchitecture a = (DecoderArchitecture) arch;
        if (name.equals(a.embedding()) || name.equals("lm_head.weight")) return java.util.Set.of(1);
        if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight") || name.endsWith(".bias") || name.endsWith("norm.weight")) {
            return java.util.Set.of(0);
        }
        return java.util.Set.of(1);
    }

    static int layerOf(DecoderArchitecture a, String name) {
        String rest = name.substring((a.prefix() + "layers.").length());
        return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
    }
}
