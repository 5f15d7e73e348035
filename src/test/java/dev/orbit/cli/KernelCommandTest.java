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

import dev.orbit.report.Json;

class KernelCommandTest {
    @TempDir
    Path tmp;

    @Test
    void regressesDigitsWithBothKernelsAndWritesAReport() throws Exception {
        var r = CliRun.of("kernel", "--arch", "mlp:784-64x2-10:relu", "--train", "300", "--test", "200", "--depth", "1,2",
                "--empirical-width", "1024", "--quiet", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("NNGP acc") && r.out().contains("wrote"), r.out());
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("result.json").toFile());
        assertEquals(2, json.get("depths").size());
        for (JsonNode d : json.get("depths")) {
            double nngp = d.get("nngp").get("test_accuracy").asDouble(), ntk = d.get("ntk").get("test_accuracy").asDouble();
            assertTrue(nngp > 0.8 && ntk > 0.8, "kernel regression on 300 digits classifies well: " + nngp + ", " + ntk);
            JsonNode flow = d.get("flow");
            assertEquals(15, flow.size());
            assertTrue(flow.get(0).get("train_accuracy").asDouble() < flow.get(14).get("train_accuracy").asDouble(), "training fits over time");
            assertEquals(ntk, flow.get(14).get("test_accuracy").asDouble(), 0.02, "gradient flow at 1e7 steps reaches the t = ∞ regressor");
            double lmax = d.get("ntk").get("largest_eigenvalue").asDouble();
            assertEquals(2 * 300 * 10 / lmax, d.get("max_learning_rate").asDouble(), 1e-9 * d.get("max_learning_rate").asDouble());
            assertTrue(d.get("nngp").get("mean_posterior_variance").asDouble() > 0);
            assertEquals(200, d.get("nngp").get("posterior_variance").size());
            assertTrue(d.get("empirical").get("relative_frobenius_error").asDouble() < 0.2, d.get("empirical").toString());
        }
        String html = Files.readString(tmp.resolve("report.html"));
        assertEquals(4, html.split("<svg", -1).length - 1, "accuracy vs depth, spectrum, flow, variance histogram");
        assertTrue(Files.readString(tmp.resolve("index.html")).contains("report.html"));
    }

    @Test
    void nngpOnlySkipsTheNtkAndJsonGoesToStdout() throws Exception {
        var r = CliRun.of("kernel", "--arch", "mlp:784-10x1-10:relu", "--activation", "erf", "--train", "100", "--test", "50", "--nngp", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        JsonNode d = new ObjectMapper().readTree(r.out()).get("depths").get(0);
        assertTrue(d.get("ntk").isNull() && d.get("flow").isEmpty() && d.get("max_learning_rate").isNull(), d.toString());
        assertTrue(d.get("kernel").asText().contains("erf (closed form)"), d.get("kernel").asText());
        assertTrue(d.get("nngp").get("test_accuracy").asDouble() > 0.5, "100 digits, chance is 0.1");
    }

    @Test
    void defaultArchitectureIsDepthThreeRelu() throws Exception {
        var r = CliRun.of("kernel", "--train", "60", "--test", "30", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        JsonNode depths = new ObjectMapper().readTree(r.out()).get("depths");
        assertEquals(1, depths.size());
        assertEquals(3, depths.get(0).get("depth").asInt(), depths.toString());
    }

    @Test
    void tanhRunsThroughQuadrature() throws Exception {
        var r = CliRun.of("kernel", "--arch", "mlp:784-10-10:tanh", "--train", "60", "--test", "30", "--ntk", "--quadrature", "8", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        JsonNode d = new ObjectMapper().readTree(r.out()).get("depths").get(0);
        assertTrue(d.get("kernel").asText().contains("quadrature, order 8"));
        assertFalse(d.get("ntk").isNull());
    }

    /** Every elementwise op of the registry has a kernel rule: sigmoid by quadrature, with its empirical NTK. */
    @Test
    void anyActivationOfTheRegistryHasAKernel() throws Exception {
        var r = CliRun.of("kernel", "--arch", "mlp:784-10-10:sigmoid", "--train", "20", "--test", "10", "--quadrature", "6",
                "--empirical-width", "64", "--json");
        assertEquals(0, r.exitCode(), r.err());
        var d = Json.mapper().readTree(r.out()).get("depths").get(0);
        assertTrue(d.get("kernel").asText().contains("sigmoid (Gauss–Hermite quadrature, order 6)"), d.get("kernel").asText());
        assertTrue(d.get("empirical").get("relative_frobenius_error").asDouble() < 1, r.out());
    }

    @Test
    void badInputsGiveOneLineAndTheDocumentedCode() {
        String[][] usage = {
                {"kernel", "--arch", "cnn:1x28x28-c8-10"},
                {"kernel", "--arch", "mlp:784-10-10:swish"},
                {"kernel", "--arch", "mlp:784-10-10", "--activation", "swish"},
                {"kernel", "--arch", "mlp:784-10-10", "--train", "0"},
                {"kernel", "--arch", "mlp:784-10-10", "--train", "9000"},
                {"kernel", "--arch", "mlp:784-10-10", "--depth", "1,-2"},
                {"kernel", "--arch", "mlp:784-10-10", "--epsilon", "1"},
                {"kernel", "--arch", "mlp:784-10-10", "--sigma-w2", "0"},
                {"kernel", "--arch", "mlp:784-10-10", "--ntk", "--nngp"},
                {"kernel", "--arch", "mlp:784-10-10", "--quadrature", "1"},
                {"kernel", "--arch", "mlp:784-10-10:leakyrelu", "--empirical-width", "64", "--nngp", "--train", "10", "--test", "10"},
        };
        for (String[] args : usage) {
            var r = CliRun.of(args);
            assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.cleanError(), String.join(" ", args) + ": " + r.err());
        }
        var wrongWidth = CliRun.of("kernel", "--arch", "mlp:100-10-10", "--train", "10", "--test", "10");
        assertEquals(ExitCodes.BAD_INPUT, wrongWidth.exitCode(), wrongWidth.err());
        assertTrue(wrongWidth.cleanError(), wrongWidth.err());
        var missing = CliRun.of("kernel", "--arch", "mlp:784-10-10", "--data", tmp.resolve("nope").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode(), missing.err());
        assertTrue(missing.cleanError(), missing.err());
        var overflow = CliRun.of("kernel", "--arch", "mlp:784-10x3-10", "--sigma-w2", "1e200", "--train", "20", "--test", "10", "--quiet");
        assertEquals(ExitCodes.NUMERIC, overflow.exitCode(), overflow.err());
        assertTrue(overflow.cleanError() && overflow.err().contains("NaN or infinite"), overflow.err());
    }

    @Test
    void unwritableOutputIsReported() throws Exception {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        var r = CliRun.of("kernel", "--arch", "mlp:784-10-10", "--train", "20", "--test", "10", "--quiet", "-o", file.resolve("sub").toString());
        assertEquals(ExitCodes.OUTPUT, r.exitCode(), r.err());
        assertTrue(r.cleanError(), r.err());
    }
}
