package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;

class OdeGaugeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void quickRunReportsInvarianceShrinkingWithTheStepAndTheRescalingCheck() throws Exception {
        var r = CliRun.of("experiment", "ode-gauge", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("result.json").toFile());
        assertEquals(2, json.get("models").size());
        for (JsonNode m : json.get("models")) {
            assertTrue(m.get("train_loss").asDouble() < m.get("loss_curve").get(0).asDouble(), m.get("name") + " learns");
        }
        // per model, gauge and fixed-step solver: the invariance error shrinks when the step halves
        Map<String, Double> previous = new HashMap<>();
        int compared = 0;
        for (JsonNode p : json.get("invariance")) {
            assertTrue(p.get("invariance_error").asDouble() > 0, "a solver sees the gauge: " + p);
            if (p.get("solver").asText().equals("dopri5")) continue;
            String key = p.get("model").asText() + p.get("gauge").asText() + p.get("solver").asText();
            Double before = previous.put(key, p.get("invariance_error").asDouble());
            if (before != null) {
                assertTrue(p.get("invariance_error").asDouble() < before, "shrinks with the step: " + p);
                compared++;
            }
        }
        assertEquals(8, compared);
        JsonNode d = json.get("discrete");
        assertTrue(d.get("parameter_difference").asDouble() < 1e-14, "Orbit's rescaling = discrete gauge: " + d);
        assertTrue(d.get("weight_change").asDouble() > 0.1, "the weights did move: " + d);
        assertTrue(d.get("moved_vs_original").asDouble() < 1e-13, d.toString());
        assertTrue(d.get("gauged_residual_vs_original").asDouble() < 1e-13, d.toString());
        assertEquals(0, d.get("free_spaces_residual_form").asInt());
        assertEquals(d.get("steps").asInt() - 1, d.get("free_spaces_transport_form").asInt());
        for (JsonNode e : json.get("exports")) {
            assertTrue(e.get("onnx_runtime_vs_solver").asDouble() < 1e-13, e.toString());
            assertTrue(Files.size(tmp.resolve(e.get("file").asText())) > 0);
        }
        for (JsonNode f : json.get("fixing")) {
            assertTrue(f.get("after").asDouble() < f.get("before").asDouble(), f.toString());
            assertTrue(f.get("end_state_change").asDouble() < 1e-7, f.toString());
        }
        // the exported Orbit-moved chain imports again and still has its free interior spaces
        Model moved = OnnxImporter.read(tmp.resolve("linear-euler-transport-gauged.onnx"));
        assertEquals(d.get("steps").asInt() - 1, SpaceAnalyzer.analyze(moved).spaces().stream().filter(s -> s.scaling() == Scaling.NONZERO).count());
        String html = Files.readString(tmp.resolve("report.html"));
        assertEquals(10, html.split("<svg", -1).length - 1, "loss, two log-log invariance plots, seven w(t) plots");
        assertTrue(html.contains("per-neuron rescaling") && html.contains("Invariance of x(T)"));
        assertTrue(r.out().contains("discrete gauge = Orbit rescaling"));
    }

    @Test
    void impossibleArgumentsAreOneCleanLine() {
        for (String[] args : new String[][] {{"--iterations", "0"}, {"--gauges", "0"}, {"--gauges", "x"}}) {
            String[] full = new String[args.length + 4];
            full[0] = "experiment";
            full[1] = "ode-gauge";
            System.arraycopy(args, 0, full, 2, args.length);
            full[args.length + 2] = "-o";
            full[args.length + 3] = tmp.resolve("out").toString();
            var r = CliRun.of(full);
            assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
            assertTrue(r.cleanError(), r.err());
        }
    }

    @Test
    void unwritableOutputIsExitCodeFive() throws Exception {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        var r = CliRun.of("experiment", "ode-gauge", "--quick", "-o", file.resolve("sub").toString());
        assertEquals(ExitCodes.OUTPUT, r.exitCode(), r.err());
        assertTrue(r.cleanError(), r.err());
    }
}
