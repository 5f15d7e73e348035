package dev.orbit.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.Json;
import dev.orbit.spectra.GpRegression;
import dev.orbit.spectra.KernelChoice;
import dev.orbit.spectra.KernelExperiment;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Infinite-width NNGP and NTK regression of an MLP architecture on MNIST-format digits (the bundled "
                + "ones by default): kernel matrices in float64, GP posterior mean and variance, NTK-ensemble mean and "
                + "variance, gradient-flow predictions over training time, the largest stable learning rate. Targets are "
                + "one-hot minus 1/classes; the prediction is the argmax. Hidden widths in --arch are ignored (infinite "
                + "width) except by --empirical-width; the depth is the number of hidden layers.")
final class KernelCommand implements java.util.concurrent.Callable<Integer> {
    static final KernelExperiment EXPERIMENT = new KernelExperiment();

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

    @Mixin
    SeedOption seed;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder for result.json, report.html and index.html.")
    Path output;

    @Mixin
    JsonOption json;

    @Mixin
    QuietOption quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The configuration these options describe. */
    KernelExperiment.Config config() {
        return new KernelExperiment.Config(arch, activation, depths == null ? null : List.copyOf(depths), data == null ? null : data.toString(),
                train, test, which == null || which.nngp, which == null || which.ntk, sigmaW2, sigmaB2, epsilon, quadrature, empiricalWidth, seed.seed);
    }

    @Override
    public Integer call() {
        KernelExperiment.Config config = config();
        ArchSpec.Mlp mlp;
        try {
            mlp = KernelExperiment.mlp(arch);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        Ranges.within(quadrature, KernelChoice.MIN_QUADRATURE, KernelChoice.MAX_QUADRATURE, "--quadrature must be in 2..200");
        try {
            KernelChoice.of(mlp, activation, quadrature);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        validate(KernelExperiment.depths(config, mlp));
        if (empiricalWidth > 0 && !config.ntk()) throw new UserError(ExitCodes.USAGE, "--empirical-width needs the NTK");
        checkMemory(config.ntk());
        MnistData trainData = KernelExperiment.data(config, MnistData.Split.TRAIN);
        MnistData testData = KernelExperiment.data(config, MnistData.Split.TEST);
        if (train > trainData.size()) throw new UserError(ExitCodes.USAGE, "--train " + train + " but the data has " + trainData.size() + " training digits");
        if (test > testData.size()) throw new UserError(ExitCodes.USAGE, "--test " + test + " but the data has " + testData.size() + " test digits");
        KernelExperiment.checkData(mlp, trainData.head(train));
        KernelExperiment.checkData(mlp, testData.head(test));
        if (output != null) ExperimentFiles.prepare(output);
        var out = spec.commandLine().getOut();
        KernelExperiment.Result result;
        try {
            result = ExperimentRunner.run(EXPERIMENT, config, output, out, !(quiet.quiet || json.json), !json.json);
        } catch (GpRegression.SingularKernelException e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage() + "; try a larger --sigma-b2 or --epsilon");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        if (output != null) ExperimentFiles.write(output, EXPERIMENT, result);
        if (json.json) {
            out.println(Json.write(result));
        } else {
            out.print(EXPERIMENT.summary(result));
            if (output != null) out.println(ExperimentFiles.wrote(output));
        }
        out.flush();
        return ExitCodes.OK;
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
}
