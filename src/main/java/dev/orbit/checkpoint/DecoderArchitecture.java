package dev.orbit.checkpoint;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A LLaMA-style decoder (LLaMA, Mistral, Qwen2, Qwen3): token embedding, pre-norm blocks of RMSNorm → attention
 * with rotary embeddings and grouped-query heads → residual, RMSNorm → SwiGLU MLP → residual, a final RMSNorm and
 * an output head (or the embedding, when tied).
 *
 * @param prefix        "model." for *ForCausalLM files, "" for bare *Model files
 * @param qkvBias       biases on q, k and v (Qwen2 always; others with {@code attention_bias})
 * @param outputBias    a bias on o_proj ({@code attention_bias})
 * @param mlpBias       biases on gate, up and down ({@code mlp_bias})
 * @param qkNorm        RMSNorm over each head's q and k before the rotation (Qwen3)
 * @param head          the name of the output head's weight: "lm_head.weight", the embedding when tied, or
 *                      {@code null} for a bare model without a head (its output is the final normed hidden state)
 * @param slidingWindow Mistral's attention window, or 0 when attention is global
 */
public record DecoderArchitecture(Family family, String prefix, int hiddenSize, int intermediateSize, int layers,
        int heads, int kvHeads, int headDim, int vocabSize, double rmsNormEps, double ropeTheta, boolean tied,
        boolean qkvBias, boolean outputBias, boolean mlpBias, boolean qkNorm, String head, int slidingWindow)
        implements Architecture {

    public String embedding() { return prefix + "embed_tokens.weight"; }

    public String finalNorm() { return prefix + "norm.weight"; }

    /** {@code model.layers.i.<suffix>} */
    public String layer(int i, String suffix) { return prefix + "layers." + i + "." + suffix; }

    public int groupSize() { return heads / kvHeads; }

    static DecoderArchitecture from(Family family, ConfigJson c, Set<String> names) {
        String prefix = names.contains("model.embed_tokens.weight") ? "model." : names.contains("embed_tokens.weight") ? "" : null;
        if (prefix == null) throw new CheckpointFormatException(c.source() + ": a " + family.modelType + " checkpoint needs model.embed_tokens.weight");
        int d = c.positiveInt("hidden_size");
        int heads = c.positiveInt("num_attention_heads");
        int kv = c.positiveInt("num_key_value_heads", heads);
        if (heads % kv != 0) throw c.bad("num_key_value_heads", "(" + kv + ") does not divide num_attention_heads (" + heads + ")");
        int hd = c.positiveInt("head_dim", d / heads);
        if (!c.has("head_dim") && d % heads != 0) throw c.bad("hidden_size", "is not a multiple of num_attention_heads and no head_dim is given");
        if (hd % 2 != 0) throw c.bad("head_dim", "is odd: rotary embeddings rotate pairs of dimensions");
        String act = c.string("hidden_act", "silu");
        if (!act.equals("silu")) throw c.bad("hidden_act", "is '" + act + "'; LLaMA-style MLPs use silu (SwiGLU)");
        double theta = rope(c);
        boolean attentionBias = c.bool("attention_bias", false);
        boolean qkvBias = family == Family.QWEN2 || attentionBias;
        boolean tied = c.bool("tie_word_embeddings", false);
        String head;
        if (tied) {
            if (names.contains("lm_head.weight")) {
                throw new CheckpointFormatException(c.source() + ": tie_word_embeddings is true but the checkpoint also stores lm_head.weight");
            }
            head = prefix + "embed_tokens.weight";
        } else if (names.contains("lm_head.weight")) {
            head = "lm_head.weight";
        } else if (prefix.isEmpty()) {
            head = null;
        } else {
            throw new CheckpointFormatException(c.source() + ": lm_head.weight is missing and tie_word_embeddings is false");
        }
        int window = 0;
        if (family == Family.MISTRAL && c.has("sliding_window")) window = c.positiveInt("sliding_window");
        if (family == Family.QWEN2 && c.bool("use_sliding_window", false)) {
            throw c.bad("use_sliding_window", "is true; Qwen2's per-layer sliding windows are not supported");
        }
        return new DecoderArchitecture(family, prefix, d, c.positiveInt("intermediate_size"), c.positiveInt("num_hidden_layers"),
                heads, kv, hd, c.positiveInt("vocab_size"), c.positiveDouble("rms_norm_eps", 1e-6), theta, tied,
                qkvBias, attentionBias, c.bool("mlp_bias", false), family == Family.QWEN3, head, window);
    }

    /** rope_theta (or transformers v5's rope_parameters); scaled variants are refused rather than computed wrongly. */
    private static double rope(ConfigJson c) {
        double theta = c.positiveDouble("rope_theta", 10000.0);
        for (String field : new String[] {"rope_scaling", "rope_parameters"}) {
            JsonNode s = c.root().get(field);
            if (s == null || s.isNull()) continue;
            if (!s.isObject()) throw c.bad(field, "is not an object");
            JsonNode type = s.has("rope_type") ? s.get("rope_type") : s.get("type");
            if (type != null && !type.isNull() && !"default".equals(type.asText())) {
                throw c.bad(field, "asks for rope_type '" + type.asText() + "'; only unscaled rotary embeddings are supported");
            }
            JsonNode t = s.get("rope_theta");
            if (t != null && t.isNumber() && t.doubleValue() > 0) theta = t.doubleValue();
        }
        JsonNode partial = c.root().get("partial_rotary_factor");
        if (partial != null && !partial.isNull() && partial.doubleValue() != 1.0) {
            throw c.bad("partial_rotary_factor", "is " + partial + "; only full rotary embeddings are supported");
        }
        return theta;
    }

    @Override public TensorPlan plan() {
        int d = hiddenSize, q = heads * headDim, k = kvHeads * headDim, in = intermediateSize;
        TensorPlan p = new TensorPlan().require(embedding(), vocabSize, d);
        for (int i = 0; i < layers; i++) {
            p.require(layer(i, "input_layernorm.weight"), d);
            p.require(layer(i, "self_attn.q_proj.weight"), q, d);
            p.require(layer(i, "self_attn.k_proj.weight"), k, d);
            p.require(layer(i, "self_attn.v_proj.weight"), k, d);
            if (qkvBias) {
                p.require(layer(i, "self_attn.q_proj.bias"), q);
                p.require(layer(i, "self_attn.k_proj.bias"), k);
                p.require(layer(i, "self_attn.v_proj.bias"), k);
            }
            if (qkNorm) {
                p.require(layer(i, "self_attn.q_norm.weight"), headDim);
                p.require(layer(i, "self_attn.k_norm.weight"), headDim);
            }
            p.require(layer(i, "self_attn.o_proj.weight"), d, q);
            if (outputBias) p.require(layer(i, "self_attn.o_proj.bias"), d);
            p.require(layer(i, "post_attention_layernorm.weight"), d);
            p.require(layer(i, "mlp.gate_proj.weight"), in, d);
            p.require(layer(i, "mlp.up_proj.weight"), in, d);
            p.require(layer(i, "mlp.down_proj.weight"), d, in);
            if (mlpBias) {
                p.require(layer(i, "mlp.gate_proj.bias"), in);
                p.require(layer(i, "mlp.up_proj.bias"), in);
                p.require(layer(i, "mlp.down_proj.bias"), d);
            }
        }
        p.require(finalNorm(), d);
        if ("lm_head.weight".equals(head)) p.require("lm_head.weight", vocabSize, d);
        // older LLaMA files store the rotary frequencies (recomputed from rope_theta, never read)
        p.buffer(java.util.regex.Pattern.quote(prefix) + "layers\\.\\d+\\.self_attn\\.rotary_emb\\.inv_freq");
        return p;
    }
}
