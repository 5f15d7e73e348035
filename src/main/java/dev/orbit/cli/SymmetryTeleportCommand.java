package dev.orbit.cli;

import java.util.List;

import dev.orbit.landscape.SymmetryTeleport;
import dev.orbit.landscape.SymmetryTeleportExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "symmetry-teleport", mixinStandardHelpOptions = true,
        description = {"Train with teleports chosen for a purpose: largest gradient norm (symmetry teleportation), lower",
                "curvature, minimum weight norm (ENorm), against none and a random teleport; SGD, SGD with momentum,",
                "AdaGrad, Adam; an MLP and a small CNN; every teleport verified in ONNX Runtime. Reports epochs and",
                "wall-clock to the target accuracy (teleports included) and the final accuracy, mean ± std over seeds.",
                "With --quick: the MLP, SGD and AdaGrad, 1 seed, 2 epochs of 500 digits."})
final class SymmetryTeleportCommand implements java.util.concurrent.Callable<Integer> {
    static final SymmetryTeleportExperiment EXPERIMENT = new SymmetryTeleportExperiment();

    @Option(names = "--epochs", defaultValue = "4", description = "Epoch cap per run (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seeds", defaultValue = "5", description = "Seeds per cell (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--target", defaultValue = "0.9", description = "Test accuracy whose epoch and wall-clock are reported (default ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--every", defaultValue = "500", description = "Teleport at step 0 and every K steps (default ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--teleport-steps", defaultValue = "5", description = "Orbit-optimiser steps per teleport (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--teleport-lr", defaultValue = "0.05", description = "Orbit-optimiser learning rate on ln-objectives (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "Optimisers to run (repeatable: sgd, momentum, adagrad, adam; default all four).")
    List<String> optimizers;

    @Option(names = "--train-samples", defaultValue = "8000", description = "Training digits (default ${DEFAULT-VALUE}, all bundled).")
    int trainSamples;

    @Option(names = "--arch", paramLabel = "SPEC", description = "Architectures (repeatable; default: the MLP 784-128-128-10 and the small CNN).")
    List<String> archs;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    SymmetryTeleport.Config config() {
        var d = EXPERIMENT.defaults();
        var settings = optimizers == null ? d.settings() : d.settings().stream().filter(s -> optimizers.contains(s.optimizer())).toList();
        var c = new SymmetryTeleport.Config(archs == null ? d.archs() : List.copyOf(archs), settings, d.arms(), seeds, epochs, d.batch(),
                trainSamples, target, every, steps, lr, d.enormLr(), d.bound(), d.sharpness(), d.sharpnessSample(), d.randomRange());
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        if (epochs <= 0 || seeds <= 0 || every < 0 || steps < 0 || !(lr > 0) || !(target > 0 && target <= 1)) {
            throw new UserError(ExitCodes.USAGE, "--epochs and --seeds must be positive, --every and --teleport-steps ≥ 0, --teleport-lr > 0, --target in (0, 1]");
        }
        if (archs != null) for (String a : archs) Architectures.check(a, "--arch: ");
        if (optimizers != null) for (String o : optimizers) {
            if (!List.of("sgd", "momentum", "adagrad", "adam").contains(o)) throw new UserError(ExitCodes.USAGE, "--optimizer: unknown '" + o + "' (sgd, momentum, adagrad, adam)");
        }
        if (trainSamples <= 0 || trainSamples > 8000) throw new UserError(ExitCodes.USAGE, "--train-samples must be in [1, 8000]");
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
