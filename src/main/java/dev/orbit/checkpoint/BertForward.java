package dev.orbit.checkpoint;

import org.bytedeco.pytorch.Tensor;

/** The BERT forward (see {@link BertArchitecture}); every token has token type 0 and attends to every other. */
public record BertForward(BertArchitecture architecture, Weights weights) implements ReferenceForward {

    @Override public Tensor embed(Tensor tokens) {
        BertArchitecture a = architecture;
        long t = tokens.size(1);
        if (t > a.positions()) throw new CheckpointFormatException(t + " tokens exceed BERT's " + a.positions() + " positions");
        Tensor x = weights.gather(a.embeddings("word_embeddings.weight"), tokens)
                .add(weights.rows(a.embeddings("position_embeddings.weight"), 0, t))
                .add(weights.rows(a.embeddings("token_type_embeddings.weight"), 0, 1));
        return Blocks.layerNorm(x, weights.get(a.embeddings("LayerNorm.weight")), weights.get(a.embeddings("LayerNorm.bias")), a.layerNormEps());
    }

    @Override public Tensor block(int i, Tensor h) {
        BertArchitecture a = architecture;
        Weights w = weights;
        Tensor q = Blocks.splitHeads(dense(h, a.layer(i, "attention.self.query")), a.heads());
        Tensor k = Blocks.splitHeads(dense(h, a.layer(i, "attention.self.key")), a.heads());
        Tensor v = Blocks.splitHeads(dense(h, a.layer(i, "attention.self.value")), a.heads());
        Tensor o = dense(Blocks.mergeHeads(Blocks.attention(q, k, v, null)), a.layer(i, "attention.output.dense"));
        h = Blocks.layerNorm(h.add(o), w.get(a.layer(i, "attention.output.LayerNorm.weight")),
                w.get(a.layer(i, "attention.output.LayerNorm.bias")), a.layerNormEps());
        Tensor m = dense(Blocks.gelu(dense(h, a.layer(i, "intermediate.dense")), a.tanhGelu()), a.layer(i, "output.dense"));
        return Blocks.layerNorm(h.add(m), w.get(a.layer(i, "output.LayerNorm.weight")), w.get(a.layer(i, "output.LayerNorm.bias")), a.layerNormEps());
    }

    private Tensor dense(Tensor x, String name) {
        return Blocks.linear(x, weights.get(name + ".weight"), weights.get(name + ".bias"));
    }

    @Override public Tensor head(Tensor h) {
        BertArchitecture a = architecture;
        if (!a.mlmHead()) return h;
        Tensor x = Blocks.gelu(dense(h, "cls.predictions.transform.dense"), a.tanhGelu());
        x = Blocks.layerNorm(x, weights.get("cls.predictions.transform.LayerNorm.weight"),
                weights.get("cls.predictions.transform.LayerNorm.bias"), a.layerNormEps());
        return Blocks.chunkedHead(x, weights, a.decoder()).add(weights.get(a.decoderBias()));
    }
}
