package dev.orbit.spectra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;

/**
 * {@code kernel}: infinite-width NNGP and NTK regression of an MLP architecture on MNIST-format digits (float64
 * kernels, GP posterior, NTK ensemble and gradient flow). Default: mlp:784-512x3-10:relu on 2,000 + 2,000 bundled
 * digits; quick: 200 + 200 digits.
 */
public final class KernelExperiment implements Experiment<KernelExperiment.Config, KernelExperiment.Result> {
    /** Training steps at which the gradient-flow predictions are read, at η = η_max/2: 10^0 … 10^7 in half decades. */
    static final double[] FLOW_STEPS = steps();
    /** Samples the empirical NTK is compared on. */
    static final int EMPIRICAL_SAMPLES = 256;

    /**
     * {@code activation} overrides the spec's (null: the spec's); {@code depths} hidden-layer counts (null: the spec's);
     * {@code data} an MNIST-format folder with train and test files (null: the bundled digits); {@code sigmaW2} null
     * for the kernel's default.
     */
    public record Config(String arch, String activation, List<Integer> depths, String data, int train, int test, boolean nngp,
                         boolean ntk, Double sigmaW2, double sigmaB2, double epsilon, int quadrature, int empiricalWidth, long seed) {}

    /** Everything the experiment reports (result.json). */
    public record Result(String arch, String activation, String data, int train, int test, int classes, String targets, double sigmaW2,
                         double sigmaB2, double epsilonRequested, List<KernelRegression.DepthResult> depths) {}

    @Override
    public String name() { return "kernel"; }

    @Override
    public Config defaults() {
        return new Config("mlp:784-512x3-10:relu", null, null, null, 2000, 2000, true, true, null, 0.01, 1e-6, 20, 0, 0);
    }

    @Override
    public Config quick(Config c) {
        return new Config(c.arch(), c.activation(), c.depths(), c.data(), Math.min(c.train(), 200), Math.min(c.test(), 200), c.nngp(),
                c.ntk(), c.sigmaW2(), c.sigmaB2(), c.epsilon(), c.quadrature(), Math.min(c.empiricalWidth(), 256), c.seed());
    }

    /** The MLP a spec names; IllegalArgumentException for another architecture. */
    public static ArchSpec.Mlp mlp(String arch) {
        ArchSpec parsed = ArchSpec.parse(arch);
        if (!(parsed instanceof ArchSpec.Mlp mlp)) {
            throw new IllegalArgumentException("orbit kernel takes an MLP spec (mlp:IN-HIDDEN...-OUT:ACT), not " + parsed);
        }
        return mlp;
    }

    /** The hidden-layer counts a configuration runs. */
    public static List<Integer> depths(Config c, ArchSpec.Mlp mlp) {
        return c.depths() == null ? List.of(mlp.widths().size() - 2) : List.copyOf(c.depths());
    }

    public static MnistData data(Config c, MnistData.Split split) {
        return c.data() == null ? MnistData.bundled(split) : MnistData.fromDirectory(Path.of(c.data()), split);
    }

    /** The digits must fit the architecture: as many values per sample as it takes, labels below its output count. */
    public static void checkData(ArchSpec.Mlp mlp, MnistData d) {
        if (d.images().dim(1) != mlp.inputs()) {
            throw new ShapeException("the architecture takes " + mlp.inputs() + " values per sample, the digits have " + d.images().dim(1));
        }
        for (long label : d.labels()) {
            if (label < 0 || label >= mlp.outputs()) {
                throw new ShapeException("label " + label + " does not fit the " + mlp.outputs() + " outputs of the architecture");
            }
        }
    }

    /** Throws GpRegression.SingularKernelException when Cholesky fails at the largest ε, IllegalArgumentException for bad settings. */
    @Override
    public Result run(Config c, Context context) {
        ArchSpec.Mlp mlp = mlp(c.arch());
        KernelChoice choice = KernelChoice.of(mlp, c.activation(), c.quadrature());
        List<Integer> runDepths = depths(c, mlp);
        MnistData trainData = data(c, MnistData.Split.TRAIN).head(c.train());
        MnistData testData = data(c, MnistData.Split.TEST).head(c.test());
        int classes = mlp.outputs();
        checkData(mlp, trainData);
        checkData(mlp, testData);
        double w2 = c.sigmaW2() != null ? c.sigmaW2() : choice.defaultWeightVariance();
        var config = new KernelRegression.Config(choice.kernel(), choice.activation(), w2, c.sigmaB2(), c.nngp(), c.ntk(), c.epsilon(),
                FLOW_STEPS, c.empiricalWidth(), EMPIRICAL_SAMPLES, c.seed());
        String data = c.data() == null ? "bundled" : c.data();
        context.log(String.format("kernel regression: %s, σ_w² = %s, σ_b² = %s; %,d training digits, %,d test digits (%s); targets one-hot − 1/%d",
                choice.kernel().describe(), w2, c.sigmaB2(), c.train(), c.test(), data, classes));
        List<KernelRegression.DepthResult> results = new ArrayList<>();
        long rowsPerDepth = (long) c.train() + c.test();
        context.phase("kernels", rowsPerDepth * runDepths.size());
        try (PointerScope scope = new PointerScope()) {
            Tensor xTrain = KernelRegression.float64(trainData.images());
            Tensor xTest = KernelRegression.float64(testData.images());
            for (int i = 0; i < runDepths.size(); i++) {
                long before = i * rowsPerDepth;
                results.add(KernelRegression.run(runDepths.get(i), config, xTrain, trainData.labels(), xTest, testData.labels(), classes,
                        rows -> context.step(before + rows)));
            }
        }
        return new Result(mlp.toString(), choice.kernel().describe(), data, c.train(), c.test(), classes, "one-hot minus 1/" + classes, w2,
                c.sigmaB2(), c.epsilon(), List.copyOf(results));
    }

    @Override
    public HtmlReport report(Result r) { return KernelReport.of(r); }

    @Override
    public String headline(Result r) { return "infinite-width NNGP and NTK regression"; }

    @Override
    public String summary(Result r) { return KernelReport.table(r); }

    private static double[] steps() {
        double[] s = new double[15];
        for (int i = 0; i < s.length; i++) s[i] = Math.pow(10, i / 2.0);
        return s;
    }
}
