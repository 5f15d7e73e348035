package dev.orbit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.ops.Activation;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.spectra.JacobianExperiment;
import dev.orbit.spectra.TrainedJacobianExperiment;
import dev.orbit.spectra.WeightLaw;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "jacobian", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Singular values of the input-output Jacobian J of a random MLP at initialisation (spectrum of",
                "JJᵀ, float64), against the free-probability prediction at the mean-field fixed point q*: m₁,",
                "var/m₁², λ_max, the density and the L1 distance to it; --ntk adds the one-sample NTK spectrum.",
                "With --model: the Jacobian of a trained ONNX model at bundled test digits, next to the same",
                "architecture at initialisation (there is no prediction for trained weights).",
                "Examples:",
                "  orbit jacobian --init orthogonal --depth 16 --width 1000 --activation hard-tanh --q-star 0.25 --seeds 3 -o out",
                "  orbit jacobian --arch mlp:500-500x8-500:relu --init gaussian -o out",
                "  orbit jacobian --model src/main/resources/models/mnist_mlp.onnx -o out"})
final class JacobianCommand implements Callable<Integer> {
    @Option(names = "--arch", paramLabel = "SPEC", description = "A square MLP spec, e.g. mlp:1000-1000x15-1000:relu (sets depth, width, activation).")
    String arch;

    @Option(names = "--init", paramLabel = "LAW", description = "gaussian (N(0, σ_w²/N)) or orthogonal (σ_w·Haar).")
    String init;

    @Option(names = "--depth", paramLabel = "L", description = "Number of layers L (each N×N, then φ).")
    Integer depth;

    @Option(names = "--width", paramLabel = "N", description = "Width N.")
    Integer width;

    @Option(names = "--activation", paramLabel = "φ", description = "relu, tanh, hard-tanh, erf or linear (default relu).")
    String activation;

    @Option(names = "--q-star", paramLabel = "Q", description = "Critical initialisation (χ₁ = 1) with fixed point q* = Q (default 1).")
    Double qStar;

    @Option(names = "--sigma-w", paramLabel = "S", description = "Weight scale σ_w instead of --q-star.")
    Double sigmaW;

    @Option(names = "--sigma-b", paramLabel = "B", description = "Bias scale σ_b with --sigma-w (default 0).")
    Double sigmaB;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "K", description = "Networks to sample (default ${DEFAULT-VALUE}).")
    int seeds;

    @Mixin
    SeedOption seed;

    @Option(names = "--bins", defaultValue = "60", description = "Histogram bins (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--ntk", description = "Also the one-sample NTK spectrum and the learning-rate bound η < 2/λ_max.")
    boolean ntk;

    @Option(names = "--model", paramLabel = "MODEL", description = "A trained ONNX model: its Jacobian at bundled test digits.")
    Path model;

    @Option(names = "--points", defaultValue = "200", description = "Test digits for --model (default ${DEFAULT-VALUE}).")
    int points;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder for result.json, report.html and index.html.")
    Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final JacobianExperiment RANDOM = new JacobianExperiment();
    static final TrainedJacobianExperiment TRAINED = new TrainedJacobianExperiment();

    @Override
    public Integer call() {
        if (model != null) {
            if (arch != null || init != null || depth != null || width != null || activation != null || qStar != null || sigmaW != null) {
                throw new UserError(ExitCodes.USAGE, "--model takes the architecture from the file: drop --arch, --init, --depth, "
                        + "--width, --activation, --q-star and --sigma-w");
            }
            if (points < 1 || points > 2000) throw new UserError(ExitCodes.USAGE, "--points must be in 1..2000, got " + points);
            return run(TRAINED, new TrainedJacobianExperiment.Config(model.toString(), points, seed.seed));
        }
        JacobianExperiment.Config config = config();
        try {
            return run(RANDOM, config);
        } catch (ArithmeticException e) {
            throw new UserError(ExitCodes.NUMERIC, "free-probability density failed: " + e.getMessage());
        }
    }

    private <C, R> int run(Experiment<C, R> e, C config) {
        if (output != null) ExperimentFiles.prepare(output);
        PrintWriter out = spec.commandLine().getOut();
        R r = ExperimentRunner.run(e, config, output, out);
        out.print(e.summary(r));
        if (output != null) {
            ExperimentFiles.write(output, e, r);
            out.println(ExperimentFiles.wrote(output));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The random-network configuration these options describe. */
    JacobianExperiment.Config config() {
        if (init == null) throw new UserError(ExitCodes.USAGE, "--init gaussian|orthogonal is required (or --model)");
        WeightLaw law;
        try {
            law = WeightLaw.parse(init);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        int l, n;
        Activation act;
        if (arch != null) {
            if (depth != null || width != null || activation != null) {
                throw new UserError(ExitCodes.USAGE, "--arch sets depth, width and activation: drop --depth, --width, --activation");
            }
            if (!(Architectures.check(arch, "") instanceof ArchSpec.Mlp mlp)) throw new UserError(ExitCodes.USAGE, "--arch must be an mlp: spec");
            if (mlp.widths().stream().distinct().count() != 1) {
                throw new UserError(ExitCodes.USAGE, "the free-probability prediction needs square layers (all widths equal), got " + arch);
            }
            l = mlp.widths().size() - 1;
            n = mlp.inputs();
            act = mlp.activation();
        } else {
            if (depth == null || width == null) throw new UserError(ExitCodes.USAGE, "give --depth and --width (or --arch, or --model)");
            l = depth;
            n = width;
            act = activation(activation == null ? "relu" : activation);
        }
        Ranges.within(l, 1, 10_000, "--depth must be in 1..10000, got " + l);
        Ranges.within(n, 2, 8192, "--width must be in 2..8192, got " + n);
        Ranges.within(seeds, 1, 1000, "--seeds must be in 1..1000, got " + seeds);
        Ranges.within(bins, 2, 10_000, "--bins must be in 2..10000, got " + bins);
        if (qStar != null && (sigmaW != null || sigmaB != null)) {
            throw new UserError(ExitCodes.USAGE, "give either --q-star or --sigma-w/--sigma-b, not both");
        }
        if (sigmaB != null && sigmaW == null) throw new UserError(ExitCodes.USAGE, "--sigma-b needs --sigma-w");
        try {
            return sigmaW != null ? JacobianExperiment.Config.scaled(act, law, l, n, sigmaW, sigmaB == null ? 0 : sigmaB, seeds, seed.seed, ntk, bins)
                    : JacobianExperiment.Config.critical(act, law, l, n, qStar == null ? 1.0 : qStar, seeds, seed.seed, ntk, bins);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    private static Activation activation(String name) {
        try {
            return StandardOps.registry().activation(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }
}
