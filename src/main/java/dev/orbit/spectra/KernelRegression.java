package dev.orbit.spectra;

import static org.bytedeco.pytorch.global.torch.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.numeric.Classification;
import dev.orbit.ops.Activation;
import dev.orbit.ops.KernelRule;
import dev.orbit.tensor.NdArray;

/**
 * Classification by infinite-width kernel regression, as {@code orbit kernel} runs it: regress one-hot targets
 * minus 1/k (zero mean over the classes) with the NNGP posterior and with the NTK (trained-ensemble mean at
 * t = ∞ and along gradient flow), predict the argmax. Everything in float64; the train×train, test×train and
 * test-diagonal kernels only (no test×test matrix).
 */
public final class KernelRegression {
    private KernelRegression() {}

    /**
     * What to run. {@code activation} builds the finite network for the empirical NTK when {@code empiricalWidth} > 0.
     */
    public record Config(KernelRule nonlinearity, Activation activation, double weightVariance, double biasVariance,
                         boolean nngp, boolean ntk, double epsilon, double[] flowSteps, int empiricalWidth, int empiricalSamples,
                         long seed) {
        public Config {
            if (!nngp && !ntk) throw new IllegalArgumentException("nothing to do: neither NNGP nor NTK");
            flowSteps = flowSteps.clone();
        }
    }

    /** Regression with one kernel. {@code posteriorVariance}: per test input (NNGP posterior or NTK ensemble). */
    public record Fit(double testAccuracy, double trainAccuracy, double epsilon, double jitter, int choleskyRetries,
                      double largestEigenvalue, double smallestEigenvalue, double meanPosteriorVariance,
                      double[] posteriorVariance, double[] eigenvalues) {}

    /** Test and train accuracy after {@code steps} gradient-descent steps at learning rate η (gradient flow). */
    public record FlowPoint(double steps, double testAccuracy, double trainAccuracy) {}

    /** Relative Frobenius distance of a finite network's NTK from the infinite-width one on {@code samples} inputs. */
    public record EmpiricalNtk(int width, int samples, double relativeFrobeniusError) {}

    /** {@code maxLearningRate}, {@code learningRate} (η of the flow, η_max/2) are null without the NTK. */
    public record DepthResult(int depth, String kernel, double seconds, Fit nngp, Fit ntk, Double maxLearningRate,
                              Double learningRate, List<FlowPoint> flow, EmpiricalNtk empirical) {}

    /**
     * One depth. Inputs are float64 matrices (one sample per row); labels are class indices. {@code rowsDone}
     * hears how many kernel rows of this depth are finished (train rows, then test rows).
     */
    public static DepthResult run(int depth, Config c, Tensor xTrain, long[] yTrain, Tensor xTest, long[] yTest, int classes,
                                  IntConsumer rowsDone) {
        long start = System.nanoTime();
        try (PointerScope scope = new PointerScope()) {
            MlpKernel kernel = MlpKernel.of(depth, c.nonlinearity(), c.weightVariance(), c.biasVariance());
            IntConsumer progress = rowsDone == null ? r -> {} : rowsDone;
            int trainRows = (int) xTrain.size(0);
            MlpKernel.Kernels train = kernel.symmetric(xTrain, c.ntk(), progress);
            MlpKernel.Kernels test = kernel.matrix(xTest, xTrain, c.ntk(), r -> progress.accept(trainRows + r));
            Tensor testVariance = kernel.diagonal(xTest, false).nngp();
            requireFinite(train.nngp(), "NNGP");
            if (c.ntk()) requireFinite(train.ntk(), "NTK");
            Tensor y = targets(yTrain, classes);

            Fit nngp = null, ntk = null;
            if (c.nngp()) {
                GpRegression.Factor f = GpRegression.cholesky(train.nngp(), c.epsilon());
                Tensor mean = GpRegression.mean(f, test.nngp(), y);
                Tensor trainMean = GpRegression.mean(f, train.nngp(), y);
                Tensor variance = GpRegression.variance(f, test.nngp(), testVariance);
                nngp = fit(f, mean, trainMean, yTest, yTrain, variance, linalg_eigvalsh(train.nngp()));
            }
            Double etaMax = null, eta = null;
            List<FlowPoint> flow = List.of();
            EmpiricalNtk empirical = null;
            if (c.ntk()) {
                GpRegression.Factor f = GpRegression.cholesky(train.ntk(), c.epsilon());
                Tensor mean = GpRegression.mean(f, test.ntk(), y);
                Tensor trainMean = GpRegression.mean(f, train.ntk(), y);
                Tensor variance = GpRegression.ntkEnsembleVariance(f, test.ntk(), train.nngp(), test.nngp(), testVariance);
                GradientFlow gf = new GradientFlow(train.ntk(), test.ntk(), y);
                ntk = fit(f, mean, trainMean, yTest, yTrain, variance, gf.eigenvalues());
                etaMax = GpRegression.maxLearningRate(gf.largestEigenvalue(), gf.targetEntries(), 0);
                eta = etaMax / 2;
                List<FlowPoint> points = new ArrayList<>();
                for (double steps : c.flowSteps()) {
                    try (PointerScope inner = new PointerScope()) {
                        points.add(new FlowPoint(steps, accuracy(gf.test(eta, steps), yTest), accuracy(gf.train(y, eta, steps), yTrain)));
                    }
                }
                flow = List.copyOf(points);
                if (c.empiricalWidth() > 0 && c.activation() != null) {
                    int s = (int) Math.min(c.empiricalSamples(), xTrain.size(0));
                    FiniteMlp net = FiniteMlp.random((int) xTrain.size(1), c.empiricalWidth(), depth, 1, c.activation(),
                            Math.sqrt(c.weightVariance()), Math.sqrt(c.biasVariance()), c.seed());
                    Tensor sub = xTrain.narrow(0, 0, s);
                    Tensor limit = train.ntk().narrow(0, 0, s).narrow(1, 0, s);
                    Tensor diff = net.ntk(sub, sub).sub(limit);
                    empirical = new EmpiricalNtk(c.empiricalWidth(), s,
                            Math.sqrt(diff.mul(diff).sum().item_double() / limit.mul(limit).sum().item_double()));
                }
            }
            return new DepthResult(depth, kernel.describe(), (System.nanoTime() - start) / 1e9, nngp, ntk, etaMax, eta, flow, empirical);
        }
    }

    /** One-hot minus 1/k: zero mean over the classes, so a zero prediction favours no class. */
    public static Tensor targets(long[] labels, int classes) {
        double[] y = new double[labels.length * classes];
        Arrays.fill(y, -1.0 / classes);
        for (int i = 0; i < labels.length; i++) y[i * classes + (int) labels[i]] += 1;
        return NdArray.ofDoubles(y, labels.length, classes).toTorch();
    }

    public static double accuracy(Tensor scores, long[] labels) {
        return Classification.accuracy(GpRegression.argmaxRows(scores), labels);
    }

    private static Fit fit(GpRegression.Factor f, Tensor mean, Tensor trainMean, long[] yTest, long[] yTrain, Tensor variance,
                           Tensor eigenvalues) {
        double[] ev = NdArray.fromTorch(eigenvalues).toDoubleArray();
        double[] var = NdArray.fromTorch(variance).toDoubleArray();
        return new Fit(accuracy(mean, yTest), accuracy(trainMean, yTrain), f.epsilon(), f.jitter(), f.retries(), ev[ev.length - 1],
                ev[0], Arrays.stream(var).average().orElse(Double.NaN), var, ev);
    }

    private static void requireFinite(Tensor k, String name) {
        if (!isfinite(k).all().item_bool()) {
            throw new GpRegression.SingularKernelException("the " + name + " matrix has NaN or infinite entries");
        }
    }

    /** Convenience for callers: a float32/float64 [n, d] array as a float64 tensor. */
    public static Tensor float64(NdArray a) {
        return a.torchView().to(ScalarType.Double).contiguous().clone();
    }
}
