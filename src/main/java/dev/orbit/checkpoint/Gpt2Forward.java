package dev.orbit.checkpoint;

import org.bytedeco.pytorch.Tensor;

/** The GPT-2 forward (see {@link Gpt2Architecture}). */
public record Gpt2Forward(Gpt2Architecture architecture, Weights weights) implements ReferenceForward {

    @Override public Tensor embed(Tensor tokens) {
        long t = tokens.size(1);
        if (t > architecture.positions()) {
            throw new CheckpointFormatException(t + " tokens exceed GPT-2's " + architecture.positions() + " learned positions");
        }
        Tensor positions = weights.rows(architecture.positionEmbedding(), 0, t);
        return weights.gather(architecture.tokenEmbedding(), tokens).add(positions);
    }

    @Override public Tensor block(int i, Tensor h) {
        Gpt2Architecture a = architecture;
        Weights w = weights;
        long d = a.hiddenSize();
        Tensor x = Blocks.layerNorm(h, w.get(a.layer(i, "ln_1.weight")), w.get(a.layer(i, "ln_1.bias")), a.layerNormEps());
        Tensor qkv = Blocks.conv1d(x, w.get(a.layer(i, "attn.c_attn.weight")), w.get(a.layer(i, "attn.c_attn.bias")));
        Tensor q = Blocks.splitHeads(qkv.narrow(-1, 0, d), a.heads());
        Tensor k = Blocks.splitHeads(qkv.narrow(-1, d, d), a.heads());
        Tensor v = Blocks.splitHeads(qkv.narrow(-1, 2 * d, d), a.heads());
        Tensor o = Blocks.mergeHeads(Blocks.attention(q, k, v, Blocks.causalMask((int) h.size(1), 0, w.type())));
        h = h.add(Blocks.conv1d(o, w.get(a.layer(i, "attn.c_proj.weight")), w.get(a.layer(i, "attn.c_proj.bias"))));
        Tensor m = Blocks.layerNorm(h, w.get(a.layer(i, "ln_2.weight")), w.get(a.layer(i, "ln_2.bias")), a.layerNormEps());
        m = Blocks.gelu(Blocks.conv1d(m, w.get(a.layer(i, "mlp.c_fc.weight")), w.get(a.layer(i, "mlp.c_fc.bias"))), a.tanhGelu());
        return h.add(Blocks.conv1d(m, w.get(a.layer(i, "mlp.c_proj.weight")), w.get(a.layer(i, "mlp.c_proj.bias"))));
    }

    @Override public Tensor head(Tensor h) {
        String p = architecture.prefix();
        Tensor x = Blocks.layerNorm(h, weights.get(p + "ln_f.weight"), weights.get(p + "ln_f.bias"), architecture.layerNormEps());
        return Blocks.chunkedHead(x, weights, architecture.head());
    }
}
