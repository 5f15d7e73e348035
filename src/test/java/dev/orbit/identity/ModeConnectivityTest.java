package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.experiment.Verdict;

/** The experiment end to end on quick-size models (an MLP and a CNN with BatchNorm, 2 seeds, 3 points). */
class ModeConnectivityTest {
    @Test
    void alignedPathsKeepTheirEndsAndTheReportIsWritten(@TempDir Path dir) {
        var e = new ModeConnectivityExperiment();
        var c = new ModeConnectivity.Config(List.of("mlp:784-32x2-10:relu", "cnn:1x28x28-c4/bn-p-10:relu"), 2, 1, 1000, 200, 200, 3, 0.1, 64);
        var r = e.run(c, Context.quiet(dir));
        assertEquals(Verdict.PASSED, e.verdict(r), "an aligned model failed its ONNX Runtime check");
        for (var a : r.archs()) {
            assertEquals(1, a.pairs().size());
            var p = a.pairs().getFirst();
            var naive = ModeConnectivity.find(p, ModeConnectivity.NAIVE);
            for (String m : List.of(ModeConnectivity.WEIGHTS, ModeConnectivity.ACTIVATIONS)) {
                var path = ModeConnectivity.find(p, m);
                // the aligned B is B's function: both ends of every path are the trained models
                assertEquals(naive.loss()[0], path.loss()[0], 1e-9, a.spec() + " " + m);
                assertEquals(naive.loss()[2], path.loss()[2], 1e-4 * naive.loss()[2], a.spec() + " " + m);
            }
            assertEquals(a.batchNorm(), a.spec().contains("/bn"));
            // weight matching maximises Σ⟨A, P·B⟩: on the 32-wide MLP it brings B closer (activation matching need not)
            if (!a.batchNorm()) assertTrue(p.distanceAfter().get(ModeConnectivity.WEIGHTS) < p.distanceBefore(), p.toString());
        }
        ExperimentFiles.write(dir, e, r);
        assertTrue(Files.exists(dir.resolve("result.json")) && Files.exists(dir.resolve("report.html")));
        assertTrue(e.summary(r).contains("weights"));
    }
}
