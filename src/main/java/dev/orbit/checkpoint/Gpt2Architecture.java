package dev.orbit.checkpoint;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * GPT-2: token and learned position embeddings, pre-norm blocks (LayerNorm → causal attention with fused
 * {@code c_attn} → residual, LayerNorm → GELU MLP → residual), a final LayerNorm and the head tied to the token
 * embedding. Weights are Conv1D, stored [in, out] (y = x·W + b).
 *
 * @param prefix      "" for the original files, "transformer." for files saved by GPT2LMHeadModel
 * @param tanhGelu    GELU's tanh approximation (gelu_new, the GPT-2 default) rather than the exact erf form
 * @param head        the head weight: the token embedding, or "lm_head.weight" when stored untied
 */
public record Gpt2Architecture(String prefix, int hiddenSize, int layers, int heads, int innerSize, int positions,
        int vocabSize, double layerNormEps, boolean tanhGelu, String head) implements Architecture {

    @Override public Family family() { return Family.GPT2; }

    public String layer(int i, String suffix) { return prefix + "h." + i + "." + suffix; }

    public String tokenEmbedding() { return prefix + "wte.weight"; }

    public String positionEmbedding() { return prefix + "wpe.weight"; }

    public int headDim() { return hiddenSize / heads; }

    static Gpt2Architecture from(ConfigJson c, Set<String> names) {
        String prefix = names.contains("transformer.wte.weight") ? "transformer." : "";
        int d = c.positiveInt("n_embd");
        int heads = c.positiveInt("n_head");
        if (d % heads != 0) throw c.bad("n_embd", "(" + d + ") is not a multiple of n_head (" + heads + ")");
        String act = c.string("activation_function", "gelu_new");
        boolean tanh = switch (act) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> true;
            case "gelu" -> false;
            default -> throw c.bad("activation_function", "is '" + act + "'; GPT-2 support covers the GELU variants");
        };
        if (c.bool("scale_attn_by_inverse_layer_idx", false)) throw c.bad("scale_attn_by_inverse_layer_idx", "is true (not supported)");
        if (!c.bool("scale_attn_weights", true)) throw c.bad("scale_attn_weights", "is false (not supported)");
        boolean tied = c.bool("tie_word_embeddings", true);
        String head = prefix + "wte.weight";
        if (names.contains("lm_head.weight")) {
            if (tied) throw new CheckpointFormatException(c.source() + ": tie_word_embeddings is true but the checkpoint also stores lm_head.weight");
            head = "lm_head.weight";
        } else if (!tied) {
            throw new CheckpointFormatException(c.source() + ": lm_head.weight is missing and tie_word_embeddings is false");
        }
        return new Gpt2Architecture(prefix, d, c.positiveInt("n_layer"), heads, c.positiveInt("n_inner", 4 * d),
                c.positiveInt("n_positions"), c.positiveInt("vocab_size"), c.positiveDouble("layer_norm_epsilon", 1e-5), tanh, head);
    }

    @Override public TensorPlan plan() {
        int d = hiddenSize;
        TensorPlan p = new TensorPlan().require(tokenEmbedding(), vocabSize, d).require(positionEmbedding(), positions, d);
        for (int i = 0; i < layers; i++) {
            p.require(layer(i, "ln_1.weight"), d).require(layer(i, "ln_1.bias"), d);
            p.require(layer(i, "attn.c_attn.weight"), d, 3L * d).require(layer(i, "attn.c_attn.bias"), 3L * d);
            p.require(layer(i, "attn.c_proj.weight"), d, d).require(layer(i, "attn.c_proj.bias"), d);
            p.require(layer(i, "ln_2.weight"), d).require(layer(i, "ln_2.bias"), d);
            p.require(layer(i, "mlp.c_fc.weight"), d, innerSize).require(layer(i, "mlp.c_fc.bias"), innerSize);
            p.require(layer(i, "mlp.c_proj.weight"), innerSize, d).require(layer(i, "mlp.c_proj.bias"), d);
        }
        p.require(prefix + "ln_f.weight", d).require(prefix + "ln_f.bias", d);
        if (head.equals("lm_head.weight")) p.require("lm_head.weight", vocabSize, d);
        // causal-mask buffers of the original files (not parameters)
        p.buffer(Pattern.quote(prefix) + "h\\.\\d+\\.attn\\.(bias|masked_bias)");
        return p;
    }
}
