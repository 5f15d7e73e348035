package dev.orbit.ode;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.tensor.NativeSetup;
import dev.orbit.tensor.NdArray;

/** Small float64 helpers for libtorch tensors: every ODE computation in this package runs in float64. */
public final class Tensors {
    static {
        NativeSetup.init();
    }

    private Tensors() {}

    public static TensorOptions f64() { return new TensorOptions(torch.ScalarType.Double); }

    /** A tensor owning a copy of {@code values}, in float64. */
    public static Tensor of(double[] values, long... shape) { return NdArray.ofDoubles(values, shape).toTorch(); }

    public static Tensor zeros(long... shape) { return torch.zeros(shape, f64()); }

    public static Tensor eye(long n) { return torch.eye(n, f64()); }

    /** The values of a tensor (any shape), row-major. */
    public static double[] values(Tensor t) { return NdArray.fromTorch(t.detach().to(torch.ScalarType.Double)).toDoubleArray(); }

    /** A d×d matrix as rows. */
    public static double[][] matrix(Tensor t) {
        long[] s = t.sizes().vec().get();
        double[] v = values(t);
        double[][] m = new double[(int) s[0]][(int) s[1]];
        for (int i = 0; i < m.length; i++) System.arraycopy(v, i * m[i].length, m[i], 0, m[i].length);
        return m;
    }

    public static double maxAbs(Tensor t) { return torch.amax(torch.abs(t.detach())).item_double(); }

    /** t·s for a plain number s. */
    public static Tensor times(Tensor t, double s) { return torch.mul(t, new Scalar(s)); }

    /** a + s·b. */
    public static Tensor axpy(Tensor a, double s, Tensor b) { return torch.add(a, b, new Scalar(s)); }

    /** A new leaf tensor that autograd differentiates. */
    public static Tensor leaf(Tensor t) {
        Tensor l = t.detach().clone();
        l.set_requires_grad(true);
        return l;
    }
}
