package dev.orbit.cli;

import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.hyperbolic.HyperbolicTrainExperiment;
import dev.orbit.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hyperbolic-train", mixinStandardHelpOptions = true,
        description = {"Train a network whose layers use the hyperbolic-length product (or the Euclidean one) on the bundled",
                "digits in float64, and an ordinary ReLU MLP of the same widths the same way; writes DIR/model.onnx",
                "(Orbit's form, dev.orbit nodes), DIR/model.standard.onnx (standard ONNX, float64), DIR/model.float32.onnx,",
                "DIR/mlp.onnx, result.json and report.html. With --quick: 784-8-10, one epoch, 600 training and 300 test digits."})
final class HyperbolicTrainCommand implements java.util.concurrent.Callable<Integer> {
    static final HyperbolicTrainExperiment EXPERIMENT = new HyperbolicTrainExperiment();

    @Option(names = "--widths", defaultValue = "784-64-10", description = "Layer widths (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--space", defaultValue = "h2", description = "h2 (PSL(2,R) frames), h3, h4, … (Lorentz frames) or euclid (default ${DEFAULT-VALUE}).")
    String space;

    @Option(names = "--embedding", defaultValue = "horocycle", description = "horocycle or geodesic (fixed), affine (learnable); euclid: identity or affine (default ${DEFAULT-VALUE}).")
    String embedding;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate, cosine schedule (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam (default) or sgd (momentum 0.9).")
    String optimizer;

    @Mixin
    SeedOption seed;

    @Option(names = "--train-samples", paramLabel = "N", description = "Use the first N of the 8,000 training digits.")
    Integer trainSamples;

    @Option(names = "--no-peer", description = "Skip the ordinary MLP.")
    boolean noPeer;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    HyperbolicTrainExperiment.Config config() {
        var c = new HyperbolicTrainExperiment.Config(widths, space, embedding, epochs, batch, lr, optimizer, seed.seed, trainSamples, null, !noPeer);
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        var config = config();
        try {
            HyperbolicTrainExperiment.spec(config);
            HyperbolicTrainExperiment.training(config);
            if (epochs <= 0 || batch <= 0 || !(lr > 0)) throw new IllegalArgumentException("--epochs, --batch and --lr must be positive");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        if (trainSamples != null && trainSamples <= 0) throw new UserError(ExitCodes.USAGE, "--train-samples must be positive");
        ExperimentFiles.prepare(experiment.output);
        var out = spec.commandLine().getOut();
        HyperbolicTrainExperiment.Result r;
        try {
            r = ExperimentRunner.run(EXPERIMENT, config, experiment.output, out, false, true);
        } catch (Trainer.NumericFailure e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        }
        ExperimentFiles.write(experiment.output, EXPERIMENT, r);
        out.print(EXPERIMENT.summary(r));
        out.println(HyperbolicTrainExperiment.wrote(r, experiment.output));
        out.flush();
        return ExperimentRunner.exitCode(EXPERIMENT.verdict(r));
    }
}
