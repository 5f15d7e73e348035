package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.hyperbolic.HyperbolicEnsembleExperiment;
import dev.orbit.hyperbolic.HyperbolicTraining;
import dev.orbit.hyperbolic.OrbitEnsemble;
import dev.orbit.tensor.DType;
import dev.orbit.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hyperbolic-ensemble", mixinStandardHelpOptions = true,
        description = {"Orbit ensemble: from a trained length-product model, train N' orbit copies on a fresh split each epoch,",
                "keep the best on a validation split and regrow its orbit; compared over seeds with N' copies of the same",
                "point trained the same way and with one model trained alone. Splits of the 8,000 bundled training digits:",
                "[0, 4000) trains the base model (unless --model), [4000, 7000) is the fresh data, [7000, 8000) validation;",
                "the 2,000 test digits test. With --quick: 784-4-10, 2 seeds, 2 copies, 2 epochs, small splits."})
final class HyperbolicEnsembleCommand implements java.util.concurrent.Callable<Integer> {
    static final HyperbolicEnsembleExperiment EXPERIMENT = new HyperbolicEnsembleExperiment();

    @Option(names = "--model", paramLabel = "MODEL", description = "A trained length-product model (Orbit's form); default: train one (--widths, --space, --base-epochs).")
    Path model;

    @Option(names = "--widths", defaultValue = "784-32-10", description = "Widths of the base model (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--space", defaultValue = "h2", description = "Space of the base model (default ${DEFAULT-VALUE}).")
    String space;

    @Option(names = "--base-epochs", defaultValue = "3", description = "Epochs of the base model (default ${DEFAULT-VALUE}).")
    int baseEpochs;

    @Option(names = "--copies", defaultValue = "4", description = "N': copies per epoch (default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--epochs", defaultValue = "4", description = "Ensemble epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--spread", defaultValue = "1.0", description = "Spread of the orbit elements (default ${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--lr", defaultValue = "0.003", description = "Learning rate of the ensemble epochs, cosine over them (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam (default) or sgd.")
    String optimizer;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The configuration these options describe; IllegalArgumentException for seeds, copies, epochs, lr or spread out of range. */
    HyperbolicEnsembleExperiment.Config config() {
        var d = EXPERIMENT.defaults();
        var c = new HyperbolicEnsembleExperiment.Config(model == null ? null : model.toString(), widths, space, baseEpochs, d.splits(),
                d.testSamples(), new OrbitEnsemble.Config(seeds, copies, epochs, spread, lr, d.ensemble().batch(), optimizer.toLowerCase()));
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        HyperbolicEnsembleExperiment.Config config;
        try {
            config = config();
            new HyperbolicTraining.Config(1, 64, lr, optimizer.toLowerCase(), 0, true);
            HyperbolicEnsembleExperiment.spec(config);
            if (baseEpochs <= 0) throw new IllegalArgumentException("--base-epochs must be positive");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        ExperimentFiles.prepare(experiment.output);
        var out = spec.commandLine().getOut();
        HyperbolicEnsembleExperiment.Result r;
        try {
            r = ExperimentRunner.run(EXPERIMENT, config, experiment.output, out);
        } catch (Trainer.NumericFailure e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        } catch (DType.UnsupportedDTypeException e) {
            throw e; // unreadable model: reported as the reader words it
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.BAD_INPUT, e.getMessage());
        }
        ExperimentFiles.write(experiment.output, EXPERIMENT, r);
        out.print(EXPERIMENT.summary(r));
        out.println(ExperimentFiles.wrote(experiment.output));
        out.flush();
        return ExitCodes.OK;
    }
}
