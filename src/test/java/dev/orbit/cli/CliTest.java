package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class CliTest {
    @TempDir
    Path tmp;

    @Test
    void demoRunsOnTheBundledDefaultAndWritesItsReport() throws Exception {
        var r = CliRun.of("demo", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("accuracy (Orbit)"), r.out());
        var report = new ObjectMapper().readTree(tmp.resolve("report.json").toFile());
        assertTrue(report.get("evaluator_vs_onnxruntime").get("passed").asBoolean());
        assertEquals(0.0, report.get("export_round_trip").get("outputs").get(0).get("max_abs_error").asDouble());
        assertTrue(Files.size(tmp.resolve("mnist_mlp.onnx")) > 100_000);
        assertTrue(report.get("teleport").get("passed").asBoolean());
        assertTrue(Files.exists(tmp.resolve("mnist_mlp.teleported.onnx")) && Files.exists(tmp.resolve("teleport.element.json")));
        assertTrue(r.out().contains("teleport r=0.9"), r.out());
    }

    @Test
    void inspectListsOpsParametersAndOpset() throws Exception {
        var r = CliRun.of("inspect", "src/test/resources/fixtures/cnn_bn.onnx");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("Conv×2") && r.out().contains("BatchNormalization×2") && r.out().contains("opset 13"), r.out());
        var json = new ObjectMapper().readTree(CliRun.of("inspect", "--json", "src/test/resources/fixtures/cnn_bn.onnx").out());
        assertEquals(13, json.get("opset").asInt());
        assertTrue(json.get("parameter_count").asLong() > 1000);
        assertTrue(json.get("inputs").get(0).asText().contains("batch"));
    }

    @Test
    void inspectNamesOpsOrbitCannotEvaluate() {
        var r = CliRun.of("inspect", "src/test/resources/fixtures/unknown_op.onnx");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("com.example::FancyActivation"), r.out());
    }

    @Test
    void verifyOneModelComparesEvaluatorWithOnnxRuntime() throws Exception {
        var r = CliRun.of("verify", "src/main/resources/models/mnist_mlp.onnx", "--data", "bundled", "--samples", "200", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        var json = new ObjectMapper().readTree(r.out());
        var out = json.get("outputs").get(0);
        assertTrue(out.get("max_rel_error").asDouble() <= 1e-5);
        assertEquals(1.0, out.get("argmax_agreement").asDouble());
        assertEquals(200, json.get("samples").asInt());
    }

    @Test
    void verifyTwoIdenticalModelsPasses() {
        var m = "src/test/resources/fixtures/mlp_tanh.onnx";
        var r = CliRun.of("verify", m, m, "--random", "8", "--distribution", "UNIFORM", "--input-seed", "3");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("PASS"), r.out());
    }

    @Test
    void helpAndVersion() {
        var help = CliRun.of("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Exit codes") && help.out().contains("verify") && help.out().contains("demo"));
        var v = CliRun.of("--version");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("orbit 0."), v.out());
    }

    @Test
    void eachRunBuildsOnlyTheCommandItNames() {
        assertEquals(0, OrbitCommand.commandLine("--version").getSubcommands().size());
        assertEquals(java.util.Set.of("inspect"), OrbitCommand.commandLine("inspect", "m.onnx").getSubcommands().keySet());
        int all = OrbitCommand.SUBCOMMANDS.size();
        assertEquals(all, OrbitCommand.commandLine("help", "teleport").getSubcommands().size());
        assertEquals(all, OrbitCommand.commandLine("--max-bytes", "1G", "inspect").getSubcommands().size());
        var help = CliRun.of("help", "teleport");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--rotate-residual"), help.out());
        var typo = CliRun.of("telport", "m.onnx");
        assertEquals(ExitCodes.USAGE, typo.exitCode());
        assertTrue(typo.cleanError() && typo.err().contains("Did you mean 'teleport'"), "suggests the command: " + typo.err());
        var limited = CliRun.of("--max-bytes", "1G", "inspect", "src/main/resources/models/mnist_mlp.onnx");
        assertEquals(0, limited.exitCode(), limited.err());
    }
}
