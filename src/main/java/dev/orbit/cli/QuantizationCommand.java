package dev.orbit.cli;

import dev.orbit.quant.QuantizationExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quantization", mixinStandardHelpOptions = true,
        description = {"Quantize MNIST models (the bundled MLP, a BatchNorm CNN and a MobileNet-style depthwise net with",
                "ReLU6, both trained first) at int8 per tensor, int8 per channel and int4 weight-only (g = 32), with no",
                "preparation, CLE, CLE + bias correction and SmoothQuant; accuracy, output error, integer kernels and",
                "speed in ONNX Runtime. Default: 6 epochs on 6,000 digits; with --quick: 1 epoch on 1,000 digits, 64 + 128 test digits."})
final class QuantizationCommand implements java.util.concurrent.Callable<Integer> {
    static final QuantizationExperiment EXPERIMENT = new QuantizationExperiment();

    @Option(names = "--epochs", defaultValue = "6", description = "Training epochs of the CNN and the depthwise net (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--spread", defaultValue = "100", paramLabel = "S",
            description = "Also run the depthwise net with its channels rescaled by factors in [1/sqrt(S), sqrt(S)] (an orbit move); 1: off (default ${DEFAULT-VALUE}).")
    double spread;

    @Mixin
    SeedOption seed;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    QuantizationExperiment.Config config() {
        var d = EXPERIMENT.defaults();
        var c = new QuantizationExperiment.Config(epochs, d.trainSamples(), d.calibration(), d.evaluation(), spread, d.speedRounds(), seed.seed);
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        Ranges.positive(epochs, "--epochs");
        if (!(spread >= 1)) throw new UserError(ExitCodes.USAGE, "--spread must be at least 1");
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
