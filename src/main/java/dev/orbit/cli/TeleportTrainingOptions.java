package dev.orbit.cli;

import java.util.List;
import java.util.Locale;

import dev.orbit.graph.build.ArchSpec;
import dev.orbit.landscape.TeleportTraining;
import dev.orbit.landscape.TeleportTrainingExperiment;
import picocli.CommandLine.Option;

/** The teleport-training grid's options, shared by {@code orbit experiment teleport-training} and {@code orbit sweep teleport-training}. */
final class TeleportTrainingOptions {
    static final TeleportTrainingExperiment EXPERIMENT = new TeleportTrainingExperiment();

    @Option(names = "--grid", defaultValue = "default", paramLabel = "default|paper",
            description = "Grid preset: default (MLP 784-128-128-10; relu/tanh/elu/leakyrelu, lr 0.1/0.01/0.001, kaiming/xavier/gaussian; "
                    + "plain SGD and momentum) or paper (MLP, small CNN, VGG-style net, small ResNet; relu and tanh; SGD, momentum, Adam; "
                    + "docs/SWEEPS.md).")
    String grid;

    @Option(names = "--archs", split = ",", paramLabel = "SPEC",
            description = "Architectures instead of the preset's, as orbit train --arch without the activation (e.g. cnn:1x28x28-c16-p-c32-p-fc64-10).")
    List<String> archs;

    @Option(names = "--optimizers", split = ",", paramLabel = "OPT", description = "Optimisers instead of the preset's: sgd, momentum (0.9), adam.")
    List<String> optimizers;

    @Option(names = "--epochs", description = "Epochs per run (default: 8 for MLPs, 3 for CNNs, 2 for ResNets).")
    Integer epochs;

    @Option(names = "--train-samples", paramLabel = "N", description = "Training digits per run (default: 8000 for MLPs, 3000 for CNNs (2000 for the VGG-style net), 2000 for ResNets).")
    Integer trainSamples;

    @Option(names = "--seeds", defaultValue = "5", description = "Seeds per setting (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--hidden", defaultValue = "128-128", description = "Hidden widths of the default grid's MLP (default ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--at-epoch", defaultValue = "0", description = "Teleport after this epoch instead of at initialisation (0 = at initialisation).")
    int atEpoch;

    @Option(names = "--target", defaultValue = "0.95", description = "Accuracy whose epoch is reported (default ${DEFAULT-VALUE}).")
    double target;

    /** The configuration, checked; {@code quick} shrinks it. */
    TeleportTraining.Config config(boolean quick) {
        if (seeds <= 0 || atEpoch < 0 || epochs != null && epochs <= 0 || trainSamples != null && (trainSamples <= 0 || trainSamples > 8000)) {
            throw new UserError(ExitCodes.USAGE, "--epochs and --seeds must be positive, --train-samples in [1, 8000]");
        }
        TeleportTraining.Grid preset = switch (grid.toLowerCase(Locale.ROOT)) {
            case "default" -> TeleportTraining.Grid.DEFAULT;
            case "paper" -> TeleportTraining.Grid.PAPER;
            default -> throw new UserError(ExitCodes.USAGE, "--grid: unknown preset '" + grid + "' (default or paper)");
        };
        List<String> arch = archs != null ? archs : preset == TeleportTraining.Grid.DEFAULT ? List.of("mlp:784-" + hidden + "-10") : preset.archs();
        for (String a : arch) checkArch(a);
        List<String> opts = optimizers != null ? optimizers.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList() : preset.optimizers();
        for (String o : opts) {
            if (!TeleportTraining.OPTIMIZERS.contains(o)) throw new UserError(ExitCodes.USAGE, "--optimizers: unknown optimizer '" + o + "' (sgd, momentum, adam)");
        }
        var settings = TeleportTraining.grid(preset, arch, opts, a -> {
            var z = TeleportTraining.size(a);
            return new TeleportTraining.Size(epochs != null ? epochs : z.epochs(), trainSamples != null ? trainSamples : z.trainSamples());
        });
        var d = EXPERIMENT.defaults();
        var c = new TeleportTraining.Config(settings, seeds, d.batch(), d.range(), atEpoch, target);
        if (quick) c = EXPERIMENT.quick(c);
        if (atEpoch >= c.minEpochs()) throw new UserError(ExitCodes.USAGE, "--at-epoch must be below every run's epochs (" + c.minEpochs() + ")");
        return c;
    }

    /** An architecture of the grid: a spec without activation, for 28×28 digits in and 10 classes out. */
    private static void checkArch(String a) {
        if (a.split(":", -1).length != 2) throw new UserError(ExitCodes.USAGE, "--archs: '" + a + "' should be FAMILY:LAYERS without an activation (the grid sets it)");
        ArchSpec s = Architectures.check(a, "--archs: ");
        boolean fits = switch (s) {
            case ArchSpec.Mlp m -> m.inputs() == 784;
            case ArchSpec.Cnn c -> c.input().equals(new ArchSpec.Image(1, 28, 28));
            case ArchSpec.ResNet r -> r.input().equals(new ArchSpec.Image(1, 28, 28));
        };
        if (!fits || s.outputs() != 10) throw new UserError(ExitCodes.USAGE, "--archs: '" + a + "' must take 784 inputs (mlp) or 1x28x28 (cnn, resnet) and give 10 classes");
    }
}
