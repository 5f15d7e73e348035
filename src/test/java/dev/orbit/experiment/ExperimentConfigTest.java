package dev.orbit.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orbit.hyperbolic.HyperbolicEnsembleExperiment;
import dev.orbit.hyperbolic.HyperbolicOrbitExperiment;
import dev.orbit.hyperbolic.HyperbolicTrainExperiment;
import dev.orbit.landscape.Flatness;
import dev.orbit.landscape.FlatnessExperiment;
import dev.orbit.landscape.GradientScalingExperiment;
import dev.orbit.landscape.LevelCurvesExperiment;
import dev.orbit.landscape.MicroTeleportExperiment;
import dev.orbit.landscape.TeleportTraining;
import dev.orbit.landscape.TeleportTrainingExperiment;
import dev.orbit.ode.OdeGaugeExperiment;
import dev.orbit.report.Json;
import dev.orbit.spectra.JacobianExperiment;
import dev.orbit.spectra.KernelExperiment;
import dev.orbit.spectra.SpectrumExperiment;
import dev.orbit.spectra.TrainedJacobianExperiment;

/**
 * Every experiment's configurations are self-contained values: its presets survive a JSON round trip unchanged (what a
 * batch job that ships configurations elsewhere relies on), and its quick preset is a different, smaller run.
 */
class ExperimentConfigTest {
    record Case(Experiment<?, ?> experiment, Class<?> config) {
        @Override
        public String toString() { return experiment.name() + " (" + experiment.getClass().getSimpleName() + ")"; }
    }

    static List<Case> experiments() {
        return List.of(new Case(new LevelCurvesExperiment(), LevelCurvesExperiment.Config.class),
                new Case(new MicroTeleportExperiment(), MicroTeleportExperiment.Config.class),
                new Case(new GradientScalingExperiment(), GradientScalingExperiment.Config.class),
                new Case(new FlatnessExperiment(), Flatness.Config.class),
                new Case(new TeleportTrainingExperiment(), TeleportTraining.Config.class),
                new Case(new dev.orbit.landscape.SymmetryTeleportExperiment(), dev.orbit.landscape.SymmetryTeleport.Config.class),
                new Case(new OdeGaugeExperiment(), OdeGaugeExperiment.Config.class),
                new Case(new SpectrumExperiment(), SpectrumExperiment.Config.class),
                new Case(new JacobianExperiment(), JacobianExperiment.Config.class),
                new Case(new TrainedJacobianExperiment(), TrainedJacobianExperiment.Config.class),
                new Case(new KernelExperiment(), KernelExperiment.Config.class),
                new Case(new HyperbolicTrainExperiment(), HyperbolicTrainExperiment.Config.class),
                new Case(new HyperbolicOrbitExperiment(), HyperbolicOrbitExperiment.Config.class),
                new Case(new HyperbolicEnsembleExperiment(), HyperbolicEnsembleExperiment.Config.class));
    }

    @ParameterizedTest
    @MethodSource("experiments")
    void presetsSurviveAJsonRoundTrip(Case c) throws Exception {
        for (Object preset : List.of(c.experiment().defaults(), quick(c.experiment()))) {
            String json = Json.write(preset);
            Object back = Json.mapper().readValue(json, c.config());
            assertEquals(json, Json.write(back), c + ": " + json);
        }
    }

    /** Quick shrinks the sizes of a run (spectrum's default has nothing to shrink: no orbit study); twice is once. */
    @ParameterizedTest
    @MethodSource("experiments")
    void quickIsASmallerRunAndIdempotent(Case c) {
        if (!c.experiment().name().equals("spectrum")) {
            assertNotEquals(Json.write(c.experiment().defaults()), Json.write(quick(c.experiment())), c.toString());
        }
        assertEquals(Json.write(quick(c.experiment())), Json.write(twice(c.experiment())), c.toString());
    }

    private static <C> C quick(Experiment<C, ?> e) {
        return e.quick(e.defaults());
    }

    private static <C> C twice(Experiment<C, ?> e) {
        return e.quick(e.quick(e.defaults()));
    }
}
