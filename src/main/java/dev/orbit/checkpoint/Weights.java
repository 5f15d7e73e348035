package dev.orbit.checkpoint;

import java.util.Map;
import java.util.function.Function;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.io.safetensors.StoredTensor;

/**
 * Checkpoint parameters handed to a forward pass in its compute type (float64 for verification), read on demand
 * so only the tensors of the block being computed are ever converted. Embedding lookups gather rows from the
 * stored (e.g. bf16) tensor before converting, and heads are read in row chunks, so a 128k × 4096 table never
 * becomes one float64 copy.
 */
public final class Weights {
    private final Function<String, StoredTensor> lookup;
    private final ScalarType type;
    private final java.util.function.UnaryOperator<Tensor> after;

    private Weights(Function<String, StoredTensor> lookup, ScalarType type) {
        this(lookup, type, t -> t);
    }

    private Weights(Function<String, StoredTensor> lookup, ScalarType type, java.util.function.UnaryOperator<Tensor> after) {
        this.lookup = lookup;
        this.type = type;
        this.after = after;
    }

    /**
     * These weights with every value read multiplied by 1 + δ, δ ~ U(−u, u) drawn afresh at each read from
     * {@code generator}: the size of error that re-rounding every weight to a format with unit roundoff u makes.
     * Verification of bf16/f16 output measures its floor with it.
     */
    public Weights perturbed(double u, org.bytedeco.pytorch.Generator generator) {
        // the caller's own generator, never libtorch's process-wide one: concurrent runs (sweep tasks) would race on it
        return new Weights(lookup, type, t -> t.mul(torch.rand_like(t, new org.bytedeco.pytorch.GeneratorOptional(generator),
                new org.bytedeco.pytorch.TensorOptions(), new org.bytedeco.pytorch.MemoryFormatOptional())
                .mul(new Scalar(2 * u)).sub(new Scalar(u)).add(new Scalar(1))));
    }

    public static Weights of(Checkpoint checkpoint, ScalarType type) {
        return new Weights(checkpoint.tensors()::tensor, type);
    }

    /** Any source of stored tensors (a moved checkpoint's tensors, say). */
    public static Weights of(Function<String, StoredTensor> lookup, ScalarType type) {
        return new Weights(lookup, type);
    }

    /** These weights with some tensors replaced (moved tensors checked against the original's forward). */
    public Weights overriding(Map<String, StoredTensor> replaced) {
        return new Weights(n -> replaced.containsKey(n) ? replaced.get(n) : lookup.apply(n), type, after);
    }

    public ScalarType type() { return type; }

    /** The tensor as stored (no conversion). */
    public StoredTensor stored(String name) { return lookup.apply(name); }

    /** The whole tensor, owned, in the compute type. */
    public Tensor get(String name) { return after.apply(lookup.apply(name).toTorch(type)); }

    /** Rows {@code [from, from + count)} of a 2-D tensor, owned, in the compute type. */
    public Tensor rows(String name, long from, long count) {
        Tensor view = lookup.apply(name).torchView().narrow(0, from, count);
        return after.apply(view.scalar_type().value == type.value ? view.clone() : view.to(type));
    }

    /** Rows picked by {@code ids} (Long tensor of any shape): an embedding lookup, converted after gathering. */
    public Tensor gather(String name, Tensor ids) {
        Tensor table = lookup.apply(name).torchView();
        long[] shape = ids.sizes().vec().get();
        Tensor picked = table.index_select(0, ids.reshape(-1));
        Tensor out = picked.scalar_type().value == type.value ? picked : picked.to(type);
        long[] outShape = java.util.Arrays.copyOf(shape, shape.length + 1);
        outShape[shape.length] = table.size(1);
        return after.apply(out.reshape(outShape));
    }

    /** Rows of the 2-D tensor: how many (for chunked heads). */
    public long rowCount(String name) { return lookup.apply(name).shape()[0]; }
}
