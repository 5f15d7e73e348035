package dev.orbit.cli;

import java.io.PrintWriter;

import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.landscape.TeleportTraining;
import dev.orbit.sweep.SweepEngine;
import dev.orbit.sweep.Sweeps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orbit sweep EXPERIMENT}: an experiment's grid as independent tasks on an engine (docs/SWEEPS.md). */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run an experiment's grid as independent tasks, in this JVM (--engine local) or on Apache Spark (--engine spark),",
                "with the same result.json and report as orbit experiment, plus sweep.json (per-task times, failed tasks).",
                "A task that fails twice is reported with its configuration and error; the others still merge."},
        subcommands = {SweepCommand.TeleportTrainingSweep.class})
final class SweepCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "teleport-training", mixinStandardHelpOptions = true,
            description = "The teleport-training grid (settings × 3 arms × seeds), one task per run. Options as orbit experiment teleport-training.")
    static final class TeleportTrainingSweep implements java.util.concurrent.Callable<Integer> {
        @Mixin
        TeleportTrainingOptions grid;

        @Mixin
        ExperimentOptions experiment;

        @Mixin
        SweepOptions sweep;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TeleportTraining.Config c = grid.config(experiment.quick);
            return runAndWrite(spec, sweep, TeleportTrainingOptions.EXPERIMENT, c, experiment.output);
        }
    }

    static <C, R, T, P> int runAndWrite(picocli.CommandLine.Model.CommandSpec spec, SweepOptions sweep,
                                        dev.orbit.sweep.SweepableExperiment<C, R, T, P> e, C config, java.nio.file.Path folder) {
        SweepEngine engine = sweep.engine();
        ExperimentFiles.prepare(folder);
        PrintWriter out = spec.commandLine().getOut();
        int total = e.tasks(config).size();
        Sweeps.Finished<R> f = Sweeps.run(e, config, engine, sweep.settings("orbit sweep " + e.name()),
                SweepOptions.progress(spec.commandLine().getErr(), total));
        Sweeps.write(folder, e, f);
        out.print(e.summary(f.result()));
        out.printf("sweep: %d tasks on %s (%d workers) in %.1f s; %d failed%n", f.tasks(), f.engine(), f.workers().size(), f.wallSeconds(), f.failed());
        for (Sweeps.Failure x : f.failures()) out.printf("failed task %d %s: %s%n", x.index(), x.task().replaceAll("\\s+", " "), x.error());
        out.println(ExperimentFiles.wrote(folder) + ", " + folder.resolve("sweep.json"));
        out.flush();
        return ExperimentRunner.exitCode(e.verdict(f.result()));
    }
}
