package dev.orbit.spectra;

import static org.bytedeco.pytorch.global.torch.*;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * φ and φ' of an {@link Activation} on whole libtorch tensors (float64), for the kernel quadrature and the
 * finite networks whose empirical NTK is measured. Inputs are float64; so are the outputs. The switch is exhaustive, so a new activation must say here
 * how it runs on tensors.
 */
public final class ActivationTensors {
    private ActivationTensors() {}

    public static Tensor apply(Activation a, Tensor x) {
        return switch (a) {
            case LINEAR -> x;
            case RELU -> relu(x);
            case HARD_TANH -> clamp(x, new ScalarOptional(new Scalar(-1.0)), new ScalarOptional(new Scalar(1.0)));
            case TANH -> tanh(x);
            case ERF -> erf(x);
        };
    }

    public static Tensor derivative(Activation a, Tensor x) {
        return switch (a) {
            case LINEAR -> ones_like(x);
            case RELU -> gt(x, new Scalar(0.0)).to(ScalarType.Double);
            case HARD_TANH -> lt(abs(x), new Scalar(1.0)).to(ScalarType.Double);
            case TANH -> {
                Tensor t = tanh(x);
                yield t.mul(t).neg_().add_(new Scalar(1.0));
            }
            case ERF -> x.mul(x).neg_().exp_().mul_(new Scalar(2 / Math.sqrt(Math.PI)));
        };
    }
}
