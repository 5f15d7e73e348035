package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orbit.Orbit;

class QuantizeCommandTest {
    private static final String MLP = "src/main/resources/models/mnist_mlp.onnx";

    @Test
    void writesAnInt8ModelThatOnnxRuntimeRunsInIntegers(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("q.onnx");
        var r = CliRun.of("quantize", MLP, "-o", out.toString(), "--data", "bundled", "--samples", "200", "--prepare", "cle", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("integer_kernels").asBoolean(), r.out());
        assertTrue(j.get("ort_optimised_ops").has("QLinearMatMul"), r.out());
        assertTrue(j.get("steps").get(0).get("noise_rule_passed").asBoolean());
        JsonNode figures = j.get("figures");
        assertEquals(4, figures.size());
        assertTrue(figures.get(3).get("accuracy").asDouble() > 0.9, r.out());
        assertTrue(Files.exists(out));
        assertTrue(Orbit.load(out).ir().graph().nodes().stream().anyMatch(n -> n.opType().equals("QuantizeLinear")));
    }

    @Test
    void refusesAPreparationWithNothingToActOn(@TempDir Path tmp) {
        Path out = tmp.resolve("q.onnx");
        var tanh = CliRun.of("quantize", "src/test/resources/fixtures/mlp_tanh.onnx", "-o", out.toString(), "--prepare", "cle");
        assertEquals(ExitCodes.QUANTIZE_REFUSED, tanh.exitCode(), tanh.err());
        assertTrue(tanh.cleanError() && tanh.err().contains("cle: no space"), tanh.err());
        var rotate = CliRun.of("quantize", MLP, "-o", out.toString(), "--prepare", "rotate");
        assertEquals(ExitCodes.QUANTIZE_REFUSED, rotate.exitCode(), rotate.err());
        assertTrue(rotate.cleanError() && rotate.err().contains("rotate:"), rotate.err());
        var usage = CliRun.of("quantize", MLP, "-o", out.toString(), "--weights", "int3");
        assertEquals(ExitCodes.USAGE, usage.exitCode());
        assertTrue(usage.cleanError(), usage.err());
        assertFalse(Files.exists(out), "nothing written on a refusal");
    }
}
