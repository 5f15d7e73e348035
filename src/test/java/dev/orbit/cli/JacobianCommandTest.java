package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class JacobianCommandTest {
    @TempDir
    Path tmp;

    @Test
    void randomReluNetworkWritesTableJsonAndReport() throws Exception {
        var r = CliRun.of("jacobian", "--arch", "mlp:120-120x3-120:relu", "--init", "orthogonal", "--seeds", "2", "--ntk", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("var/m₁²") && r.out().contains("One-sample NTK"), r.out());
        var json = new ObjectMapper().readTree(tmp.resolve("result.json").toFile());
        assertEquals(4, json.get("config").get("depth").asInt());
        assertEquals(4.0, json.get("theory").get("variance_ratio").asDouble(), 1e-12, "ReLU orthogonal: L(1 − p)/p");
        assertEquals(4.0, json.get("variance_ratio").asDouble(), 1.5, "two width-120 networks");
        assertEquals(0.5, json.get("zero_fraction").asDouble(), 0.1);
        assertTrue(json.get("histogram").get("l1").asDouble() < 0.6);
        assertEquals(2, json.get("seeds").size());
        String html = Files.readString(tmp.resolve("report.html"));
        assertEquals(2, html.split("<svg", -1).length - 1, "density and var-by-depth charts");
    }

    @Test
    void trainedModelJacobianAtDigits() throws Exception {
        var r = CliRun.of("jacobian", "--model", "src/main/resources/models/mnist_mlp.onnx", "--points", "4", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var json = new ObjectMapper().readTree(tmp.resolve("result.json").toFile());
        assertEquals(40, json.get("trained").get("eigenvalues").size(), "10 eigenvalues of JJᵀ per digit");
        assertEquals("mlp:784-128-64-10:relu", json.get("architecture").asText());
        assertEquals(2.0, json.get("free_probability_mean_at_init").asDouble(), 1e-12);
        assertTrue(Files.readString(tmp.resolve("report.html")).contains("<svg"));
    }

    @Test
    void badInputsGiveOneLineAndTheDocumentedCode() {
        String[][] usage = {
                {"jacobian", "--depth", "4", "--width", "50"}, // no --init
                {"jacobian", "--init", "gaussian"}, // no size
                {"jacobian", "--init", "unitary", "--depth", "4", "--width", "50"},
                {"jacobian", "--init", "gaussian", "--arch", "mlp:784-128-10:relu"}, // not square
                {"jacobian", "--init", "gaussian", "--depth", "4", "--width", "50", "--activation", "swish"},
                {"jacobian", "--init", "gaussian", "--depth", "4", "--width", "50", "--sigma-w", "1.6", "--sigma-b", "0.1"}, // ReLU explodes
                {"jacobian", "--init", "gaussian", "--depth", "4", "--width", "50", "--q-star", "1", "--sigma-w", "1"},
                {"jacobian", "--init", "gaussian", "--depth", "0", "--width", "50"},
                {"jacobian", "--init", "gaussian", "--depth", "4", "--width", "50", "--activation", "tanh", "--sigma-w", "0.5"}, // q* = 0
                {"jacobian", "--model", "x.onnx", "--depth", "3"}};
        for (String[] args : usage) {
            var r = CliRun.of(args);
            assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.cleanError(), String.join(" ", args) + ": " + r.err());
        }
        var missing = CliRun.of("jacobian", "--model", tmp.resolve("missing.onnx").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode(), missing.err());
        assertTrue(missing.cleanError(), missing.err());
    }
}
