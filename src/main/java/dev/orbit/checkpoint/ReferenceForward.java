package dev.orbit.checkpoint;

import org.bytedeco.pytorch.Tensor;

/**
 * The function a checkpoint computes, written out in libtorch for verification (float64 by default): token ids →
 * embeddings → one block at a time → head. Each step reads its own parameters from {@link Weights} when it runs,
 * so a caller can free a block's tensors before the next one (see {@link Forward}) and compare hidden states
 * after every block.
 */
public sealed interface ReferenceForward permits DecoderForward, Gpt2Forward, BertForward {
    Architecture architecture();

    /** Token ids [batch, tokens] (Long) → hidden states [batch, tokens, hidden]. */
    Tensor embed(Tensor tokens);

    /** Block {@code layer} applied to hidden states. */
    Tensor block(int layer, Tensor hidden);

    /** Final norm and head: logits [batch, tokens, vocab], or the normed hidden states for a model without a head. */
    Tensor head(Tensor hidden);

    static ReferenceForward of(Architecture architecture, Weights weights) {
        return of(architecture, weights, RopeLayout.HALF_SPLIT);
    }

    /** {@code rope} matters for rotary decoders only (the counter-test runs the wrong layout on purpose). */
    static ReferenceForward of(Architecture architecture, Weights weights, RopeLayout rope) {
        return switch (architecture) {
            case DecoderArchitecture d -> new DecoderForward(d, weights, rope);
            case Gpt2Architecture g -> new Gpt2Forward(g, weights);
            case BertArchitecture b -> new BertForward(b, weights);
        };
    }
}
