package dev.orbit.ops.conv;

import static org.bytedeco.pytorch.global.torch.constant_pad_nd;
import static org.bytedeco.pytorch.global.torch.convolution;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orbit.tensor.NativeSetup;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Gradients;

/**
 * The unfolded-window convolution against libtorch's reference convolution in float64 (no oneDNN in float64): the
 * output, the gradients of X, W and B, and the gradient of the squared gradient norm (double backward, as the
 * sharpness teleport and the Hessian-vector checks take it) agree to float64 rounding, for strides, dilations,
 * asymmetric and cropping pads, 1×1 kernels and depthwise kernels, on both window routes (with and without autograd).
 */
class UnfoldConvolutionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'3x3 pad 1 with bias', 2, 3, 4, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false, true",
            "one input channel, 3, 1, 5, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false, true",
            "strides and dilations, 2, 2, 3, 11, 10, 3, 2, 2, 3, 2, 1, 0, 1, 2, 0, false, false",
            "asymmetric pads, 1, 3, 2, 6, 7, 2, 3, 2, 1, 1, 2, 0, 2, 1, 1, false, true",
            "cropping pad, 2, 2, 3, 9, 8, 3, 3, 1, 1, 1, 1, -1, 1, 0, -2, false, true",
            "1x1 kernel, 2, 5, 3, 4, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, false, true",
            "'1x1 kernel stride 2', 2, 4, 6, 7, 6, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, false, false",
            "depthwise 3x3, 2, 4, 4, 8, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true",
            "depthwise strided 5x5, 1, 3, 3, 11, 9, 5, 5, 2, 2, 1, 1, 2, 1, 2, 2, true, false",
    })
    void agreesWithTheReferenceConvolution(String name, int n, int c, int o, int h, int w, int kh, int kw, int sh,
                                           int sw, int dh, int dw, int top, int left, int bottom, int right,
                                           boolean depthwise, boolean bias) {
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        long group = depthwise ? c : 1;
        NativeSetup.initConvolution();
        try (PointerScope scope = new PointerScope()) {
            Tensor x = random(rng, n, c, h, w);
            Tensor k = random(rng, o, depthwise ? 1 : c, kh, kw);
            Tensor b = bias ? random(rng, o) : null;
            List<Tensor> params = new ArrayList<>(List.of(x, k));
            if (b != null) params.add(b);
            long[] begin = {top, left};
            long[] end = {bottom, right};
            long[] strides = {sh, sw};
            long[] dilations = {dh, dw};
            long[] out = {(h + top + bottom - (kh - 1L) * dh - 1) / sh + 1, (w + left + right - (kw - 1L) * dw - 1) / sw + 1};
            assertTrue(UnfoldConvolution.covers(x, k, group, out), name + ": the route must cover this call");

            Tensor got = UnfoldConvolution.apply(x, k, b, begin, end, strides, dilations, out, depthwise);
            Tensor padded = constant_pad_nd(x, new long[] {left, right, top, bottom}, new Scalar(0.0));
            Tensor want = convolution(padded, k, new TensorOptional(b == null ? new Tensor() : b), strides, new long[2],
                    dilations, false, new long[2], group);
            assertClose(name + ", Y", want, got);
            Tensor untracked = UnfoldConvolution.apply(x.detach(), k.detach(), b == null ? null : b.detach(), begin, end,
                    strides, dilations, out, depthwise);
            assertClose(name + ", Y without autograd (two unfolds, but for 1×1 kernels)", want, untracked);

            Tensor upstream = random(rng, want.sizes().vec().get()).set_requires_grad(false);
            List<Tensor> gotSecond = Gradients.gradOfGradNormSquared(got.mul(upstream).sum(), params);
            List<Tensor> wantSecond = Gradients.gradOfGradNormSquared(want.mul(upstream).sum(), params);
            got = UnfoldConvolution.apply(x, k, b, begin, end, strides, dilations, out, depthwise);
            want = convolution(padded, k, new TensorOptional(b == null ? new Tensor() : b), strides, new long[2],
                    dilations, false, new long[2], group);
            List<Tensor> gotGrad = Gradients.grad(got.mul(upstream).sum(), params, false);
            List<Tensor> wantGrad = Gradients.grad(want.mul(upstream).sum(), params, false);
            for (int i = 0; i < params.size(); i++) {
                assertClose(name + ", gradient " + i, wantGrad.get(i), gotGrad.get(i));
                if (wantSecond.get(i).defined()) assertClose(name + ", double backward " + i, wantSecond.get(i), gotSecond.get(i));
            }
        }
    }

    @Test
    void leavesOtherCallsToLibtorch() {
        try (PointerScope scope = new PointerScope()) {
            SplittableRandom rng = new SplittableRandom(3);
            Tensor x = random(rng, 1, 4, 6, 6);
            long[] out = {4, 4};
            assertFalse(UnfoldConvolution.covers(x, random(rng, 6, 2, 3, 3), 2, out), "two groups of two channels");
            assertFalse(UnfoldConvolution.covers(x, random(rng, 8, 1, 3, 3), 4, out), "depthwise with multiplier 2");
            assertFalse(UnfoldConvolution.covers(random(rng, 1, 4, 6), random(rng, 2, 4, 3), 1, new long[] {4}), "1-D");
            assertFalse(UnfoldConvolution.covers(x.to(org.bytedeco.pytorch.global.torch.ScalarType.Float),
                    random(rng, 2, 4, 3, 3), 1, out), "float32 input with a float64 kernel");
            assertFalse(UnfoldConvolution.covers(x, random(rng, 2, 4, 3, 3), 1, new long[] {1L << 20, 1L << 10}),
                    "windows over " + UnfoldConvolution.MAX_WINDOW_BYTES + " bytes");
            assertTrue(UnfoldConvolution.covers(x, random(rng, 2, 4, 3, 3), 1, out));
        }
    }

    private static Tensor random(SplittableRandom rng, long... shape) {
        long count = 1;
        for (long s : shape) count *= s;
        double[] v = new double[(int) count];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return NdArray.ofDoubles(v, shape).toTorch().set_requires_grad(true);
    }

    private static void assertClose(String what, Tensor want, Tensor got) {
        assertTrue(java.util.Arrays.equals(want.sizes().vec().get(), got.sizes().vec().get()), what + ": shapes differ");
        double[] a = NdArray.fromTorch(want.detach()).toDoubleArray();
        double[] b = NdArray.fromTorch(got.detach()).toDoubleArray();
        double scale = 0;
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        // a term that is zero on both sides (the bias's double backward: Y is linear in B) must be exactly zero
        assertTrue(scale > 0 ? err <= 1e-12 * scale : err == 0, what + ": max error " + err + " against scale " + scale);
        System.out.printf(Locale.ROOT, "%s: max relative error %.1e%n", what, scale > 0 ? err / scale : 0.0);
    }
}
