package dev.orbit.checkpoint;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * BERT: word + position + token-type embeddings and a LayerNorm, then post-norm blocks (attention → residual →
 * LayerNorm, GELU MLP → residual → LayerNorm). With the masked-LM head ({@code cls.predictions.*}) the output is
 * vocabulary logits (decoder tied to the word embeddings unless stored); without it, the last hidden states.
 *
 * @param prefix "bert." for BertFor* files, "" for bare BertModel files
 * @param mlmHead whether the masked-LM head is present
 * @param decoder the MLM decoder weight (the word embedding when tied)
 * @param decoderBias the MLM output bias: "cls.predictions.bias" or "cls.predictions.decoder.bias"
 */
public record BertArchitecture(String prefix, int hiddenSize, int layers, int heads, int intermediateSize,
        int positions, int typeVocabSize, int vocabSize, double layerNormEps, boolean tanhGelu, boolean mlmHead,
        String decoder, String decoderBias) implements Architecture {

    @Override public Family family() { return Family.BERT; }

    public String embeddings(String suffix) { return prefix + "embeddings." + suffix; }

    public String layer(int i, String suffix) { return prefix + "encoder.layer." + i + "." + suffix; }

    public int headDim() { return hiddenSize / heads; }

    static BertArchitecture from(ConfigJson c, Set<String> names) {
        String prefix = names.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        int d = c.positiveInt("hidden_size");
        int heads = c.positiveInt("num_attention_heads");
        if (d % heads != 0) throw c.bad("hidden_size", "(" + d + ") is not a multiple of num_attention_heads (" + heads + ")");
        String act = c.string("hidden_act", "gelu");
        boolean tanh = switch (act) {
            case "gelu" -> false;
            case "gelu_new", "gelu_pytorch_tanh" -> true;
            default -> throw c.bad("hidden_act", "is '" + act + "'; BERT support covers the GELU variants");
        };
        String pos = c.string("position_embedding_type", "absolute");
        if (!pos.equals("absolute")) throw c.bad("position_embedding_type", "is '" + pos + "'; only absolute positions are supported");
        boolean mlm = names.contains("cls.predictions.transform.dense.weight");
        String decoder = names.contains("cls.predictions.decoder.weight") ? "cls.predictions.decoder.weight"
                : prefix + "embeddings.word_embeddings.weight";
        String bias = names.contains("cls.predictions.bias") ? "cls.predictions.bias" : "cls.predictions.decoder.bias";
        return new BertArchitecture(prefix, d, c.positiveInt("num_hidden_layers"), heads, c.positiveInt("intermediate_size"),
                c.positiveInt("max_position_embeddings"), c.positiveInt("type_vocab_size", 2), c.positiveInt("vocab_size"),
                c.positiveDouble("layer_norm_eps", 1e-12), tanh, mlm, decoder, bias);
    }

    @Override public TensorPlan plan() {
        int d = hiddenSize, in = intermediateSize;
        TensorPlan p = new TensorPlan()
                .require(embeddings("word_embeddings.weight"), vocabSize, d)
                .require(embeddings("position_embeddings.weight"), positions, d)
                .require(embeddings("token_type_embeddings.weight"), typeVocabSize, d)
                .require(embeddings("LayerNorm.weight"), d).require(embeddings("LayerNorm.bias"), d);
        for (int i = 0; i < layers; i++) {
            for (String n : new String[] {"query", "key", "value"}) {
                p.require(layer(i, "attention.self." + n + ".weight"), d, d).require(layer(i, "attention.self." + n + ".bias"), d);
            }
            p.require(layer(i, "attention.output.dense.weight"), d, d).require(layer(i, "attention.output.dense.bias"), d);
            p.require(layer(i, "attention.output.LayerNorm.weight"), d).require(layer(i, "attention.output.LayerNorm.bias"), d);
            p.require(layer(i, "intermediate.dense.weight"), in, d).require(layer(i, "intermediate.dense.bias"), in);
            p.require(layer(i, "output.dense.weight"), d, in).require(layer(i, "output.dense.bias"), d);
            p.require(layer(i, "output.LayerNorm.weight"), d).require(layer(i, "output.LayerNorm.bias"), d);
        }
        p.allow(prefix + "pooler.dense.weight", d, d).allow(prefix + "pooler.dense.bias", d);
        p.allow("cls.seq_relationship.weight", 2, d).allow("cls.seq_relationship.bias", 2);
        if (mlmHead) {
            p.require("cls.predictions.transform.dense.weight", d, d).require("cls.predictions.transform.dense.bias", d);
            p.require("cls.predictions.transform.LayerNorm.weight", d).require("cls.predictions.transform.LayerNorm.bias", d);
            p.require(decoderBias, vocabSize);
            p.allow("cls.predictions.decoder.weight", vocabSize, d);
            p.allow("cls.predictions.decoder.bias", vocabSize);
        }
        p.buffer(Pattern.quote(prefix) + "embeddings\\.(position_ids|token_type_ids)");
        return p;
    }
}
