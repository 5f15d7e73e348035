package dev.orbit.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import me.tongfei.progressbar.ProgressBar;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.orbit.graph.build.ArchSpec;
import dev.orbit.io.idx.MnistData;
import dev.orbit.ops.Activation;
import dev.orbit.ops.KernelRule;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.spectra.GpRegression;
import dev.orbit.spectra.KernelRegression;

@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Infinite-width NNGP and NTK regression of an MLP architecture on MNIST-format digits (the bundled "
                + "ones by default): kernel matrices in float64, GP posterior mean and variance, NTK-ensemble mean and "
                + "variance, gradient-flow predictions over training time, the largest stable learning rate. Targets are "
                + "one-hot minus 1/classes; the prediction is the argmax. Hidden widths in --arch are ignored (infinite "
                + "width) except by --empirical-width; the depth is the number of hidden layers.")
final class KernelCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--arch", defaultValue = "mlp:784-512x3-10:relu", paramLabel = "SPEC",
            description = "An MLP spec (default ${DEFAULT-VALUE}: depth 3, ReLU).")
    String arch;

    @Option(names = "--activation", paramLabel = "NAME", description = "Override the spec's activation: relu, linear, erf, tanh or hard-tanh.")
    String activation;

    @Option(names = "--depth", split = ",", paramLabel = "L", description = "Hidden-layer counts to run (default: the spec's), e.g. 1,3,5.")
    List<Integer> depths;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST-format folder with train-* and t10k-* files (default: the bundled digits).")
    Path data;

    @Option(names = "--train", defaultValue = "2000", paramLabel = "N", description = "Training digits (the first N; default ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", defaultValue = "2000", paramLabel = "N", description = "Test digits (the first N; default ${DEFAULT-VALUE}).")
    int test;

    @ArgGroup(exclusive = true)
    Which which;

    static final class Which {
        @Option(names = "--ntk", description = "Only the NTK (trained ensemble, gradient flow); the NNGP is still computed for the ensemble variance.")
        boolean ntk;

        @Option(names = "--nngp", description = "Only the NNGP (Bayesian GP posterior).")
        boolean nngp;
    }

    @Option(names = "--sigma-w2", paramLabel = "S", description = "Weight variance σ_w² (default 2 for relu/leaky relu, else 1).")
    Double sigmaW2;

    @Option(names = "--sigma-b2", defaultValue = "0.01", paramLabel = "S", description = "Bias variance σ_b² (default ${DEFAULT-VALUE}).")
    double sigmaB2;

    @Option(names = "--epsilon", defaultValue = "1e-6", paramLabel = "E", description = "Diagonal regularisation ε·tr(K)/n; raised ×10 while Cholesky fails, up to 0.1 (default ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--quadrature", defaultValue = "20", paramLabel = "N", description = "Gauss–Hermite order for φ without a closed form (tanh, hard-tanh; default ${DEFAULT-VALUE}).")
    int quadrature;

    @Option(names = "--empirical-width", defaultValue = "0", paramLabel = "W", description = "Also compare the empirical NTK of one random finite MLP of this width with the infinite-width NTK.")
    int empiricalWidth;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the finite MLP for --empirical-width (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder for result.json, report.html and index.html.")
    Path output;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Training steps at which the gradient-flow predictions are read, at η = η_max/2: 10^0 … 10^7 in half decades. */
    static final double[] FLOW_STEPS = steps();

    /** Everything {@code orbit kernel} reports (result.json). */
    record Result(String arch, String activation, String data, int train, int test, int classes, String targets, double sigmaW2, double sigmaB2,
                  double epsilonRequested, List<KernelRegression.DepthResult> depths) {}

    @Override
    public Integer call() {
        ArchSpec.Mlp mlp = parseArch();
        KernelChoice choice = kernelChoice(mlp);
        List<Integer> runDepths = depths == null ? List.of(mlp.widths().size() - 2) : List.copyOf(depths);
        validate(runDepths);
        boolean doNtk = which == null || which.ntk, doNngp = which == null || which.nngp;
        if (empiricalWidth > 0 && !doNtk) throw new UserError(ExitCodes.USAGE, "--empirical-width needs the NTK");
        checkMemory(doNtk);
        MnistData trainData = data == null ? MnistData.bundled(MnistData.Split.TRAIN) : MnistData.fromDirectory(data, MnistData.Split.TRAIN);
        MnistData testData = data == null ? MnistData.bundled(MnistData.Split.TEST) : MnistData.fromDirectory(data, MnistData.Split.TEST);
        if (train > trainData.size()) throw new UserError(ExitCodes.USAGE, "--train " + train + " but the data has " + trainData.size() + " training digits");
        if (test > testData.size()) throw new UserError(ExitCodes.USAGE, "--test " + test + " but the data has " + testData.size() + " test digits");
        trainData = trainData.head(train);
        testData = testData.head(test);
        int classes = mlp.outputs();
        checkData(mlp, trainData, classes);
        checkData(mlp, testData, classes);
        if (output != null) ExperimentOutput.prepare(output);

        double w2 = sigmaW2 != null ? sigmaW2 : choice.defaultWeightVariance();
        var config = new KernelRegression.Config(choice.kernel(), choice.activation(), w2, sigmaB2, doNngp, doNtk, epsilon, FLOW_STEPS,
                empiricalWidth, 256, seed);
        var out = spec.commandLine().getOut();
        if (!json) {
            out.printf("kernel regression: %s, σ_w² = %s, σ_b² = %s; %,d training digits, %,d test digits (%s); targets one-hot − 1/%d%n",
                    choice.kernel().describe(), w2, sigmaB2, train, test, data == null ? "bundled" : data, classes);
            out.flush();
        }
        List<KernelRegression.DepthResult> results = new ArrayList<>();
        long rowsPerDepth = (long) train + test;
        try (PointerScope scope = new PointerScope();
             ProgressBar bar = quiet || json ? null : ExperimentOptions.progress("kernels", rowsPerDepth * runDepths.size())) {
            Tensor xTrain = KernelRegression.float64(trainData.images());
            Tensor xTest = KernelRegression.float64(testData.images());
            for (int i = 0; i < runDepths.size(); i++) {
                long before = i * rowsPerDepth;
                results.add(KernelRegression.run(runDepths.get(i), config, xTrain, trainData.labels(), xTest, testData.labels(), classes,
                        rows -> { if (bar != null) bar.stepTo(before + rows); }));
            }
        } catch (GpRegression.SingularKernelException e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage() + "; try a larger --sigma-b2 or --epsilon");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        Result result = new Result(mlp.toString(), choice.kernel().describe(), data == null ? "bundled" : data.toString(), train, test, classes,
                "one-hot minus 1/" + classes, w2, sigmaB2, epsilon, List.copyOf(results));
        if (output != null) {
            ExperimentOutput.write(output, "kernel", "infinite-width NNGP and NTK regression", result, KernelReport.of(result));
        }
        if (json) {
            out.println(Json.write(result));
        } else {
            printTable(out, result);
            if (output != null) out.println(ExperimentOutput.wrote(output));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private ArchSpec.Mlp parseArch() {
        ArchSpec parsed;
        try {
            parsed = ArchSpec.parse(arch);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        if (!(parsed instanceof ArchSpec.Mlp mlp)) {
            throw new UserError(ExitCodes.USAGE, "orbit kernel takes an MLP spec (mlp:IN-HIDDEN...-OUT:ACT), not " + parsed);
        }
        return mlp;
    }

    /** The kernel rule, the activation the finite network uses and the default σ_w². */
    record KernelChoice(KernelRule kernel, Activation activation, double defaultWeightVariance) {}

    /**
     * The activation's own kernel rule (closed form or quadrature); σ_w² defaults to 1/E[φ'²] for positively
     * homogeneous φ (2 for ReLU, 2/(1 + a²) for leaky ReLU), else 1.
     */
    private KernelChoice kernelChoice(ArchSpec.Mlp mlp) {
        if (quadrature < 2 || quadrature > 200) throw new UserError(ExitCodes.USAGE, "--quadrature must be in 2..200");
        Activation a;
        try {
            a = activation != null ? StandardOps.registry().activation(activation) : mlp.activation();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        return new KernelChoice(a.kernelRule(quadrature), a, a.positivelyHomogeneous() ? 1 / a.meanSlopeSquared(1) : 1);
    }

    private void validate(List<Integer> runDepths) {
        if (runDepths.isEmpty()) throw new UserError(ExitCodes.USAGE, "--depth needs at least one value");
        for (int d : runDepths) if (d < 0 || d > 1000) throw new UserError(ExitCodes.USAGE, "--depth values must be in 0..1000, got " + d);
        if (train < 1) throw new UserError(ExitCodes.USAGE, "--train must be positive");
        if (test < 1) throw new UserError(ExitCodes.USAGE, "--test must be positive");
        if (!(epsilon >= 0) || epsilon > GpRegression.MAX_EPSILON) throw new UserError(ExitCodes.USAGE, "--epsilon must be in [0, " + GpRegression.MAX_EPSILON + "]");
        if (sigmaW2 != null && !(sigmaW2 > 0 && Double.isFinite(sigmaW2))) throw new UserError(ExitCodes.USAGE, "--sigma-w2 must be positive");
        if (!(sigmaB2 >= 0 && Double.isFinite(sigmaB2))) throw new UserError(ExitCodes.USAGE, "--sigma-b2 must be non-negative");
        if (empiricalWidth < 0 || empiricalWidth > 100_000) throw new UserError(ExitCodes.USAGE, "--empirical-width must be in 0..100000");
    }

    private static void checkData(ArchSpec.Mlp mlp, MnistData d, int classes) {
        if (d.images().dim(1) != mlp.inputs()) {
            throw new UserError(ExitCodes.BAD_INPUT, "the architecture takes " + mlp.inputs() + " values per sample, the digits have " + d.images().dim(1));
        }
        for (long label : d.labels()) {
            if (label < 0 || label >= classes) throw new UserError(ExitCodes.BAD_INPUT, "label " + label + " does not fit the " + classes + " outputs of the architecture");
        }
    }

    /** Peak native memory: train×train kernels, their Cholesky copies and eigenvectors, test×train kernels. */
    private void checkMemory(boolean ntk) {
        double n = train, m = test;
        double bytes = 8 * (n * n * (ntk ? 7 : 4) + n * m * (ntk ? 3 : 2));
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        if (bytes > 0.8 * total) {
            throw new UserError(ExitCodes.USAGE, String.format(Locale.ROOT, "%,d training digits need about %.1f GB of memory for the kernel "
                    + "matrices; this machine has %.1f GB: use a smaller --train", train, bytes / 1e9, total / 1e9));
        }
    }

    private static void printTable(java.io.PrintWriter out, Result r) {
        out.printf("%5s  %9s  %9s  %9s  %11s  %11s  %10s  %s%n", "depth", "NNGP acc", "NTK acc", "flow acc*", "λmax(Θ)", "η_max", "ε used", "seconds");
        for (var d : r.depths()) {
            String nngp = d.nngp() == null ? "-" : String.format("%.4f", d.nngp().testAccuracy());
            String ntk = d.ntk() == null ? "-" : String.format("%.4f", d.ntk().testAccuracy());
            String flow = d.flow().isEmpty() ? "-" : String.format("%.4f", d.flow().stream().mapToDouble(KernelRegression.FlowPoint::testAccuracy).max().orElse(0));
            String lmax = d.ntk() == null ? "-" : String.format("%.4g", d.ntk().largestEigenvalue());
            String eta = d.ntk() == null ? "-" : String.format("%.4g", d.maxLearningRate());
            String eps = (d.nngp() == null ? "-" : String.format("%.0e", d.nngp().epsilon())) + "/" + (d.ntk() == null ? "-" : String.format("%.0e", d.ntk().epsilon()));
            out.printf("%5d  %9s  %9s  %9s  %11s  %11s  %10s  %.1f%n", d.depth(), nngp, ntk, flow, lmax, eta, eps, d.seconds());
        }
        if (r.depths().stream().anyMatch(d -> !d.flow().isEmpty())) {
            out.println("* best test accuracy along gradient flow (η = η_max/2, 1 to 1e7 steps); ε used: NNGP/NTK regularisation");
        }
        for (var d : r.depths()) {
            if (d.empirical() != null) {
                out.printf("depth %d: empirical NTK of a width-%d MLP vs infinite width on %d digits: relative Frobenius error %.4f%n",
                        d.depth(), d.empirical().width(), d.empirical().samples(), d.empirical().relativeFrobeniusError());
            }
        }
    }

    private static double[] steps() {
        double[] s = new double[15];
        for (int i = 0; i < s.length; i++) s[i] = Math.pow(10, i / 2.0);
        return s;
    }
}
