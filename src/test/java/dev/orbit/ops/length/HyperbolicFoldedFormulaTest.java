package dev.orbit.ops.length;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Gradients;

/**
 * The folded formula the op uses when the embedded height is per feature (identity frame, horocycle or affine
 * embedding) against the direct one: values and gradients (inputs, weight points, embedding) agree to float64 rounding.
 */
class HyperbolicFoldedFormulaTest {
    @ParameterizedTest(name = "n={0} {1}")
    @CsvSource({"2, horocycle", "2, affine", "3, horocycle", "3, affine"})
    void foldedAndDirectAgreeToRounding(int n, String embedding) {
        int batch = 5, m = 7, k = 4;
        SplittableRandom rng = new SplittableRandom(11 + n);
        boolean affine = embedding.equals("affine");
        Node node = new Node("lp", HyperbolicLengthProduct.OP, HyperbolicLengthProduct.DOMAIN,
                affine ? List.of("x", "w", "e") : List.of("x", "w"), List.of("y"), Attributes.NONE.with("embedding", new Attr.Str(embedding)), "");
        double[] x = new double[batch * m];
        for (int i = 0; i < x.length; i++) x[i] = i % 3 == 0 ? 0 : rng.nextDouble(); // pixels: many exact zeros
        double[] w = new double[k * m * n];
        for (int i = 0; i < w.length; i++) w[i] = i % n == 0 ? rng.nextDouble() : 0.3 * rng.nextGaussian();
        double[] e = new double[m * 3];
        for (int i = 0; i < e.length; i++) e[i] = (i % 3 == 0 ? 1 : 0) + 0.2 * rng.nextGaussian();
        double[] g = new double[batch * k];
        for (int i = 0; i < g.length; i++) g[i] = rng.nextGaussian();
        try (PointerScope scope = new PointerScope()) {
            List<Tensor> in = new ArrayList<>(List.of(NdArray.ofDoubles(x, batch, m).toTorch(), NdArray.ofDoubles(w, k, m, n).toTorch()));
            if (affine) in.add(NdArray.ofDoubles(e, m, 3).toTorch());
            in.forEach(t -> t.set_requires_grad(true));
            Tensor emb = affine ? in.get(2) : null;
            Tensor gt = NdArray.ofDoubles(g, batch, k).toTorch();
            Tensor folded = HyperbolicLengthProduct.lengths(node, in.get(0), in.get(1), emb, false);
            Tensor direct = HyperbolicLengthProduct.lengths(node, in.get(0), in.get(1), emb, true);
            assertClose("Y", direct, folded);
            List<Tensor> gf = Gradients.grad(folded.mul(gt).sum(), in, false);
            List<Tensor> gd = Gradients.grad(direct.mul(gt).sum(), in, false);
            for (int i = 0; i < in.size(); i++) assertClose("gradient " + i, gd.get(i), gf.get(i));
        }
    }

    private static void assertClose(String what, Tensor want, Tensor got) {
        double[] a = NdArray.fromTorch(want.detach()).toDoubleArray();
        double[] b = NdArray.fromTorch(got.detach()).toDoubleArray();
        double scale = 0, err = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        assertTrue(scale > 0 && err <= 1e-12 * scale, what + ": max error " + err + " against scale " + scale);
        System.out.printf(java.util.Locale.ROOT, "%s max relative error %.2e%n", what, err / scale);
    }
}
