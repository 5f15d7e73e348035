package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class SpectrumCommandTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsToTheBundledModelAndPrintsOneRowPerLayer() {
        var r = CliRun.of("spectrum");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("bundled mnist_mlp.onnx: 3 weight matrices"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fc1  ") && l.contains("128×784")), r.out());
        assertTrue(r.out().contains("mean over layers: log_norm"), r.out());
    }

    @Test
    void writesJsonAndAnHtmlReportWithLogLogCharts() throws Exception {
        var r = CliRun.of("spectrum", "src/test/resources/fixtures/cnn_bn.onnx", "-o", tmp.toString(), "--svd");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        var json = new ObjectMapper().readTree(tmp.resolve("result.json").toFile());
        assertEquals("svd", json.get("eigenvalue_method").asText());
        var layers = json.get("spectrum").get("layers");
        assertEquals(3, layers.size());
        assertEquals(9, layers.get(0).get("slices").asInt(), "a 3×3 conv kernel gives 9 pooled taps");
        assertEquals(72, layers.get(0).get("eigenvalues").size());
        assertTrue(json.get("spectrum").get("skipped").get(0).get("reason").asText().contains("only 9 eigenvalues"));
        String html = Files.readString(tmp.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("power law") && html.contains("MP σ"), "report has the ESD charts");
        assertTrue(Files.exists(tmp.resolve("index.html")));
    }

    @Test
    void orbitAndBalancedOnATanhModel() throws Exception {
        // tanh spaces take any non-zero factor: teleports rewrite the activation, balancing uses positive factors
        var r = CliRun.of("spectrum", "src/test/resources/fixtures/mlp_tanh.onnx", "--orbit", "2", "--balanced", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        var json = new ObjectMapper().readTree(r.out());
        var check = json.get("balanced").get("verification");
        assertTrue(check.get("passed").asBoolean(), check.toString());
        assertTrue(check.get("outputs").get(0).get("max_rel_error").asDouble() < 1e-5);
        var metrics = json.get("orbit").get("metrics");
        assertTrue(metrics.size() > 0);
        for (var m : metrics) assertEquals("INVARIANT", m.get("permutation_verdict").asText(), m.toString());
    }

    @Test
    void badArgumentsAndBadFiles() throws Exception {
        var zero = CliRun.of("spectrum", "--orbit", "0");
        assertEquals(ExitCodes.USAGE, zero.exitCode());
        assertTrue(zero.cleanError() && zero.err().contains("--orbit"), zero.err());
        var range = CliRun.of("spectrum", "--orbit", "2", "--sampling", "INTRA", "--cob-range", "1.5");
        assertEquals(ExitCodes.USAGE, range.exitCode());
        assertTrue(range.cleanError(), range.err());
        var missing = CliRun.of("spectrum", tmp.resolve("nope.onnx").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertTrue(missing.cleanError(), missing.err());
        Path blocked = tmp.resolve("file");
        Files.writeString(blocked, "x");
        var out = CliRun.of("spectrum", "-o", blocked.resolve("sub").toString());
        assertEquals(ExitCodes.OUTPUT, out.exitCode());
        assertTrue(out.cleanError(), out.err());
    }

    @Test
    void nanWeightsAreANumericError() throws Exception {
        var m = dev.orbit.io.onnx.OnnxImporter.read(Path.of("src/test/resources/fixtures/mlp_relu.onnx"));
        var params = new java.util.LinkedHashMap<>(m.graph().parameters());
        String name = dev.orbit.spectra.WeightMatrices.find(m).matrices().getFirst().parameter();
        float[] w = params.get(name).toFloatArray();
        w[5] = Float.NaN;
        params.put(name, dev.orbit.tensor.NdArray.ofFloats(w, params.get(name).shape()));
        Path bad = tmp.resolve("nan.onnx");
        dev.orbit.io.onnx.OnnxExporter.write(m.withGraph(m.graph().withParameters(params)), bad);
        var r = CliRun.of("spectrum", bad.toString());
        assertEquals(ExitCodes.NUMERIC, r.exitCode(), r.err());
        assertTrue(r.cleanError() && r.err().contains("NaN"), r.err());
    }
}
