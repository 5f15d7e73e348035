package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.tensor.NdArray;

/**
 * Runs a {@link ReferenceForward} block by block. Each step runs in its own {@link PointerScope}, so the parameters
 * it converted are freed before the next block loads its own; between steps the hidden states live as an
 * {@link NdArray}. Peak memory is one block's parameters in the compute type plus the activations.
 */
public final class Forward {
    private Forward() {}

    /**
     * The output and, when asked, the hidden states after the embedding and after every block ({@code layers + 1}
     * arrays of [batch, tokens, hidden]).
     */
    public record Result(NdArray output, List<NdArray> hiddenStates) {}

    public static Result run(ReferenceForward f, long[][] tokens, boolean keepHiddenStates) {
        List<NdArray> hidden = new ArrayList<>();
        NdArray h;
        try (PointerScope scope = new PointerScope()) {
            h = NdArray.fromTorch(f.embed(Blocks.tokens(tokens, f.architecture().vocabSize())).contiguous());
        }
        if (keepHiddenStates) hidden.add(h);
        for (int i = 0; i < f.architecture().layers(); i++) {
            try (PointerScope scope = new PointerScope()) {
                h = NdArray.fromTorch(f.block(i, h.torchView()).contiguous());
            }
            if (keepHiddenStates) hidden.add(h);
        }
        NdArray out;
        try (PointerScope scope = new PointerScope()) {
            out = NdArray.fromTorch(f.head(h.torchView()).contiguous());
        }
        return new Result(out, hidden);
    }

    /** Logits (or final hidden states) of {@code checkpoint} in {@code type} (Double for verification). */
    public static NdArray logits(Checkpoint checkpoint, long[][] tokens, ScalarType type) {
        return run(ReferenceForward.of(checkpoint.architecture(), Weights.of(checkpoint, type)), tokens, false).output();
    }
}
