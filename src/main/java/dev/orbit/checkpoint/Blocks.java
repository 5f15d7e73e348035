package dev.orbit.checkpoint;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.tensor.NdArray;

/** The building blocks the reference forwards share, in libtorch on [batch, tokens, channels] tensors. */
final class Blocks {
    private Blocks() {}

    /** x·Wᵀ + b for an nn.Linear weight W [out, in]; {@code bias} may be null. */
    static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        Tensor y = torch.matmul(x, w.t());
        return bias == null ? y : y.add(bias);
    }

    /** x·W + b for a Conv1D weight W [in, out] (GPT-2). */
    static Tensor conv1d(Tensor x, Tensor w, Tensor bias) {
        return torch.matmul(x, w).add(bias);
    }

    /** x / √(mean(x²) + ε) · g over the last axis. */
    static Tensor rmsNorm(Tensor x, Tensor gain, double eps) {
        Tensor ms = x.mul(x).mean(new long[] {-1}, true, new ScalarTypeOptional());
        return x.mul(ms.add(new Scalar(eps)).rsqrt()).mul(gain);
    }

    static Tensor layerNorm(Tensor x, Tensor gain, Tensor bias, double eps) {
        return torch.layer_norm(x, new long[] {x.size(-1)}, new TensorOptional(gain), new TensorOptional(bias), eps, false);
    }

    static Tensor gelu(Tensor x, boolean tanh) {
        return torch.gelu(x, tanh ? "tanh" : "none");
    }

    /**
     * Scaled dot-product attention: softmax(q·kᵀ/√d + mask)·v on [batch, heads, tokens, d]; {@code mask} is
     * [tokens, tokens] of 0 and −∞ or null.
     */
    static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask) {
        Tensor scores = torch.matmul(q, k.transpose(-2, -1)).div(new Scalar(Math.sqrt(q.size(-1))));
        if (mask != null) scores = scores.add(mask);
        return torch.matmul(torch.softmax(scores, -1), v);
    }

    /** [batch, tokens, heads·d] → [batch, heads, tokens, d]. */
    static Tensor splitHeads(Tensor x, long heads) {
        long b = x.size(0), t = x.size(1);
        return x.reshape(b, t, heads, x.size(2) / heads).transpose(1, 2);
    }

    /** [batch, heads, tokens, d] → [batch, tokens, heads·d]. */
    static Tensor mergeHeads(Tensor x) {
        long b = x.size(0), h = x.size(1), t = x.size(2), d = x.size(3);
        return x.transpose(1, 2).reshape(b, t, h * d);
    }

    /** The causal mask of {@code t} tokens (0 where j ≤ i, −∞ above the diagonal), optionally limited to a window. */
    static Tensor causalMask(int t, int window, ScalarType type) {
        double[] m = new double[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                boolean allowed = j <= i && (window <= 0 || i - j < window);
                m[i * t + j] = allowed ? 0 : Double.NEGATIVE_INFINITY;
            }
        }
        return constant(m, type, t, t);
    }

    /** A constant tensor from Java doubles, owned, of the given type. */
    static Tensor constant(double[] values, ScalarType type, long... shape) {
        return NdArray.ofDoubles(values, shape).toTorch().to(type);
    }

    /** Token ids [batch, tokens] as a Long tensor, each checked against the vocabulary. */
    static Tensor tokens(long[][] ids, int vocab) {
        int b = ids.length, t = ids[0].length;
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            if (ids[i].length != t) throw new IllegalArgumentException("all token sequences must have the same length");
            for (int j = 0; j < t; j++) {
                long id = ids[i][j];
                if (id < 0 || id >= vocab) throw new CheckpointFormatException("token id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
                flat[i * t + j] = id;
            }
        }
        return NdArray.ofLongs(flat, b, t).toTorch();
    }

    /** float64 bytes of weight converted at a time by {@link #chunkedHead}. */
    static final long WEIGHT_CHUNK_BYTES = 32L << 20;

    /**
     * x·Wᵀ against a [rows, in] weight read in row chunks (vocabulary heads, and every linear map of a large decoder):
     * at most {@link #WEIGHT_CHUNK_BYTES} of the weight exist in the compute type at a time.
     */
    static Tensor chunkedHead(Tensor x, Weights w, String name) {
        long rows = w.rowCount(name), cols = w.stored(name).shape()[1];
        long chunk = Math.max(1, WEIGHT_CHUNK_BYTES / (8 * cols));
        if (rows <= chunk) return torch.matmul(x, w.get(name).t());
        org.bytedeco.pytorch.TensorVector parts = new org.bytedeco.pytorch.TensorVector();
        for (long from = 0; from < rows; from += chunk) {
            parts.push_back(torch.matmul(x, w.rows(name, from, Math.min(chunk, rows - from)).t()));
        }
        return torch.cat(parts, -1);
    }

    /** An nn.Linear through {@link #chunkedHead}; {@code bias} may be null. */
    static Tensor linear(Tensor x, Weights w, String name, Tensor bias) {
        Tensor y = chunkedHead(x, w, name);
        return bias == null ? y : y.add(bias);
    }
}
