package dev.orbit.checkpoint;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.tensor.NdArray;

/** The LLaMA/Mistral/Qwen2/Qwen3 forward (see {@link DecoderArchitecture}). */
public record DecoderForward(DecoderArchitecture architecture, Weights weights, RopeLayout rope) implements ReferenceForward {

    @Override public Tensor embed(Tensor tokens) {
        if (architecture.slidingWindow() > 0 && tokens.size(1) > architecture.slidingWindow()) {
            throw new CheckpointFormatException(tokens.size(1) + " tokens exceed the sliding window (" + architecture.slidingWindow()
                    + "); sliding-window attention is not supported");
        }
        return weights.gather(architecture.embedding(), tokens);
    }

    @Override public Tensor block(int i, Tensor h) {
        DecoderArchitecture a = architecture;
        Weights w = weights;
        int t = (int) h.size(1);
        Tensor x = Blocks.rmsNorm(h, w.get(a.layer(i, "input_layernorm.weight")), a.rmsNormEps());
        Tensor q = Blocks.splitHeads(Blocks.linear(x, w, a.layer(i, "self_attn.q_proj.weight"), bias(i, "self_attn.q_proj.bias", a.qkvBias())), a.heads());
        Tensor k = Blocks.splitHeads(Blocks.linear(x, w, a.layer(i, "self_attn.k_proj.weight"), bias(i, "self_attn.k_proj.bias", a.qkvBias())), a.kvHeads());
        Tensor v = Blocks.splitHeads(Blocks.linear(x, w, a.layer(i, "self_attn.v_proj.weight"), bias(i, "self_attn.v_proj.bias", a.qkvBias())), a.kvHeads());
        if (a.qkNorm()) {
            q = Blocks.rmsNorm(q, w.get(a.layer(i, "self_attn.q_norm.weight")), a.rmsNormEps());
            k = Blocks.rmsNorm(k, w.get(a.layer(i, "self_attn.k_norm.weight")), a.rmsNormEps());
        }
        Rotary r = new Rotary(t, a.headDim(), a.ropeTheta(), rope, w.type());
        q = r.apply(q);
        k = r.apply(k);
        if (a.groupSize() > 1) {
            // query head j reads kv head j / groupSize (transformers' repeat_kv)
            k = k.repeat_interleave(a.groupSize(), new org.bytedeco.pytorch.LongOptional(1), new org.bytedeco.pytorch.LongOptional());
            v = v.repeat_interleave(a.groupSize(), new org.bytedeco.pytorch.LongOptional(1), new org.bytedeco.pytorch.LongOptional());
        }
        Tensor o = Blocks.mergeHeads(Blocks.attention(q, k, v, Blocks.causalMask(t, a.slidingWindow(), w.type())));
        h = h.add(Blocks.linear(o, w, a.layer(i, "self_attn.o_proj.weight"), bias(i, "self_attn.o_proj.bias", a.outputBias())));
        Tensor m = Blocks.rmsNorm(h, w.get(a.layer(i, "post_attention_layernorm.weight")), a.rmsNormEps());
        Tensor gate = torch.silu(Blocks.linear(m, w, a.layer(i, "mlp.gate_proj.weight"), bias(i, "mlp.gate_proj.bias", a.mlpBias())));
        Tensor up = Blocks.linear(m, w, a.layer(i, "mlp.up_proj.weight"), bias(i, "mlp.up_proj.bias", a.mlpBias()));
        return h.add(Blocks.linear(gate.mul(up), w, a.layer(i, "mlp.down_proj.weight"), bias(i, "mlp.down_proj.bias", a.mlpBias())));
    }

    private Tensor bias(int i, String suffix, boolean present) {
        return present ? weights.get(architecture.layer(i, suffix)) : null;
    }

    @Override public Tensor head(Tensor h) {
        Tensor x = Blocks.rmsNorm(h, weights.get(architecture.finalNorm()), architecture.rmsNormEps());
        return architecture.head() == null ? x : Blocks.chunkedHead(x, weights, architecture.head());
    }

    /**
     * Rotary embeddings for positions 0..t−1: frequency k turns by angle p·θ^(−2k/hd) (computed in float64 in Java).
     * HALF_SPLIT rotates dims (k, k + hd/2) — x·cos + rotate_half(x)·sin; INTERLEAVED rotates (2k, 2k + 1), done as
     * the same rotation on the dims permuted into half-split order and permuted back.
     */
    record Rotary(Tensor cos, Tensor sin, Tensor toHalf, Tensor fromHalf) {
        Rotary(int t, int hd, double theta, RopeLayout layout, org.bytedeco.pytorch.global.torch.ScalarType type) {
            this(table(t, hd, theta, true, type), table(t, hd, theta, false, type),
                    layout == RopeLayout.INTERLEAVED ? permutation(hd, false) : null,
                    layout == RopeLayout.INTERLEAVED ? permutation(hd, true) : null);
        }

        Tensor apply(Tensor x) {
            if (toHalf != null) x = x.index_select(-1, toHalf);
            long half = x.size(-1) / 2;
            org.bytedeco.pytorch.TensorVector parts = new org.bytedeco.pytorch.TensorVector();
            parts.push_back(x.narrow(-1, half, half).neg());
            parts.push_back(x.narrow(-1, 0, half));
            Tensor y = x.mul(cos).add(torch.cat(parts, -1).mul(sin));
            return fromHalf == null ? y : y.index_select(-1, fromHalf);
        }

        private static Tensor table(int t, int hd, double theta, boolean cos, org.bytedeco.pytorch.global.torch.ScalarType type) {
            double[] v = new double[t * hd];
            for (int p = 0; p < t; p++) {
                for (int k = 0; k < hd / 2; k++) {
                    double angle = p * (1.0 / Math.pow(theta, 2.0 * k / hd));
                    double c = cos ? Math.cos(angle) : Math.sin(angle);
                    v[p * hd + k] = c;
                    v[p * hd + k + hd / 2] = c;
                }
            }
            return Blocks.constant(v, type, t, hd);
        }

        /** Index maps between interleaved order (2k, 2k+1) and half-split order (k, k + hd/2). */
        private static Tensor permutation(int hd, boolean inverse) {
            long[] idx = new long[hd];
            for (int k = 0; k < hd / 2; k++) {
                if (!inverse) {
                    idx[k] = 2L * k;            // half-split slot k takes interleaved dim 2k
                    idx[k + hd / 2] = 2L * k + 1;
                } else {
                    idx[2 * k] = k;             // interleaved dim 2k comes back from slot k
                    idx[2 * k + 1] = k + hd / 2;
                }
            }
            return NdArray.ofLongs(idx, hd).toTorch();
        }
    }
}
