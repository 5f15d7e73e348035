package dev.orbit.ops.conv;

import static org.bytedeco.pytorch.global.torch.addmm;
import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.constant_pad_nd;
import static org.bytedeco.pytorch.global.torch.mm;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * 2-D convolution as one matrix product over the unfolded windows, in channels-last order: the input is read as
 * N×H×W×C, every output pixel's window becomes one row of kh·kw·C values in (kh, kw, C) order, and one GEMM with the
 * kernel as a (kh·kw·C)×O matrix gives N·Ho·Wo×O, which is the output in channels-last order. A depthwise kernel (one
 * input channel per group, multiplier 1) multiplies the windows channel by channel and sums over the window instead.
 *
 * <p>Why not libtorch's {@code convolution}: in float32 it goes to oneDNN, which this project caps at SSE4.1 because
 * its wider kernels are wrong on the development and CI CPUs (docs/NOTES.md), while OpenBLAS's GEMM runs its AVX-512
 * kernels correctly; in float64 it goes to libtorch's reference kernel, whose double backward is slow. Measured
 * (docs/MEASUREMENTS.md): ResNet-18 forward at batch 8 360 → 202 ms, a CNN training epoch 2.5 → 1.6 s, a float64
 * gradient-norm teleport of the CNN 4.1 → 0.42 s. Every step is a differentiable libtorch op, so gradients and
 * Hessian-vector products come from autograd as before.
 *
 * <p>The result has channels-last strides, which libtorch's max-pool is 4× faster on; ops that need another layout
 * reshape or copy as they always did.
 */
final class UnfoldConvolution {
    /** The unfolded windows are kh·kw times the input; above this size the route is left to libtorch. */
    static final long MAX_WINDOW_BYTES = 512L << 20;

    private UnfoldConvolution() {}

    /** Whether this route computes the call: 2-D, float32 or float64, group 1 or depthwise, windows that fit. */
    static boolean covers(Tensor x, Tensor w, long group, long[] outSize) {
        if (x.dim() != 4) return false;
        ScalarType t = x.scalar_type().intern();
        if (t != ScalarType.Float && t != ScalarType.Double || w.scalar_type().intern() != t) return false;
        boolean depthwise = group > 1 && w.size(1) == 1 && w.size(0) == group && x.size(1) == group;
        if (group != 1 && !depthwise) return false;
        long rows = x.size(0) * outSize[0] * outSize[1];
        double bytes = (double) rows * w.size(2) * w.size(3) * x.size(1) * x.element_size();
        return rows > 0 && bytes <= MAX_WINDOW_BYTES;
    }

    /**
     * X (N×C×H×W, any strides) convolved with W (O×C×kh×kw, or C×1×kh×kw when depthwise) plus B (may be null);
     * {@code begin}/{@code end} are the pads before and after each spatial axis, negative ones crop, and
     * {@code outSize} the output's spatial size as the op's window geometry resolved it.
     */
    static Tensor apply(Tensor x, Tensor w, Tensor b, long[] begin, long[] end, long[] strides, long[] dilations,
                        long[] outSize, boolean depthwise) {
        Tensor h = x.permute(0, 2, 3, 1);
        if (begin[0] != 0 || begin[1] != 0 || end[0] != 0 || end[1] != 0) {
            h = constant_pad_nd(h, new long[] {0, 0, begin[1], end[1], begin[0], end[0]}, new Scalar(0.0));
        }
        h = h.contiguous();
        long kh = w.size(2);
        long kw = w.size(3);
        long n = h.size(0);
        long c = h.size(3);
        long ho = outSize[0];
        long wo = outSize[1];
        // a 1×1 kernel's window is the input itself (a strided view at most), whichever way autograd goes
        Tensor cols = tracked(x, w, b) || kh * kw == 1 ? tapsConcatenated(h, kh, kw, ho, wo, strides, dilations)
                : windowView(h, kh, kw, strides, dilations);
        cols = cols.reshape(n * ho * wo, kh * kw * c);
        Tensor y;
        if (depthwise) {
            Tensor k = w.reshape(c, kh * kw).t();
            y = cols.reshape(n * ho * wo, kh * kw, c).mul(k).sum(new long[] {1}, false, new ScalarTypeOptional());
            if (b != null) y = y.add(b);
        } else {
            Tensor k = w.permute(0, 2, 3, 1).reshape(w.size(0), kh * kw * c).t();
            y = b == null ? mm(cols, k) : addmm(b, cols, k);
        }
        return y.view(n, ho, wo, y.size(1)).permute(0, 3, 1, 2);
    }

    /** Whether autograd records this call. */
    private static boolean tracked(Tensor x, Tensor w, Tensor b) {
        return x.requires_grad() || w.requires_grad() || b != null && b.requires_grad();
    }

    /**
     * N×Ho×Wo×kh×kw×C, as one strided slice per kernel tap concatenated along the channels. Under autograd this
     * beats {@link #windowView}: the backward of slices and cat is plain copies, the backward of two unfolds is not
     * (forward plus backward of the MNIST CNN's second layer: 24 against 30 ms).
     */
    private static Tensor tapsConcatenated(Tensor h, long kh, long kw, long ho, long wo, long[] strides, long[] dilations) {
        if (kh * kw == 1) return tap(tap(h, 1, 0, ho, strides[0]), 2, 0, wo, strides[1]);
        TensorVector taps = new TensorVector();
        for (long i = 0; i < kh; i++) {
            for (long j = 0; j < kw; j++) {
                taps.push_back(tap(tap(h, 1, i * dilations[0], ho, strides[0]), 2, j * dilations[1], wo, strides[1]));
            }
        }
        return cat(taps, 3);
    }

    /**
     * N×Ho×Wo×kh×kw×C as a view of h (no copy yet: the caller's reshape makes the one copy, reading runs of kw·C).
     * Three calls however large the kernel, and the faster copy when no gradient is wanted.
     */
    private static Tensor windowView(Tensor h, long kh, long kw, long[] strides, long[] dilations) {
        Tensor u = windows(windows(h, 1, kh, strides[0], dilations[0]), 2, kw, strides[1], dilations[1]);
        return u.permute(0, 1, 2, 4, 5, 3);
    }

    /** Axis {@code axis} replaced by the window starts, with the window's taps appended as the last axis. */
    private static Tensor windows(Tensor h, long axis, long k, long stride, long dilation) {
        long span = (k - 1) * dilation + 1;
        Tensor u = h.unfold(axis, span, stride);
        return dilation == 1 ? u : u.slice(u.dim() - 1, new LongOptional(0), new LongOptional(span), dilation);
    }

    /** {@code count} positions of axis {@code axis}, from {@code first}, {@code stride} apart (a view). */
    private static Tensor tap(Tensor h, long axis, long first, long count, long stride) {
        if (first == 0 && count == h.size(axis) && stride == 1) return h;
        return h.slice(axis, new LongOptional(first), new LongOptional(first + (count - 1) * stride + 1), stride);
    }
}
