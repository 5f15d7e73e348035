package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class ExperimentCommandTest {
    @TempDir
    Path tmp;

    @Test
    void levelCurvesQuickKeepsTheLossAndWritesAReportWithCharts() throws Exception {
        var r = CliRun.of("experiment", "level-curves", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var json = new ObjectMapper().readTree(tmp.resolve("result.json").toFile());
        assertEquals(10, json.get("moves").size());
        assertTrue(json.get("mean_weight_change").asDouble() > 0.5, "r = 0.9 inter moves the weights far");
        assertTrue(json.get("max_delta_loss").asDouble() < 1e-5, "the loss stays on its level curve: " + json.get("max_delta_loss"));
        assertEquals(0.0, json.get("max_delta_accuracy").asDouble());
        String html = Files.readString(tmp.resolve("report.html"));
        assertEquals(3, html.split("<svg", -1).length - 1, "three inline SVG charts");
        assertTrue(html.contains("What the paper claims") && html.contains("What Orbit measured"));
        assertTrue(Files.readString(tmp.resolve("index.html")).contains("report.html"));
        assertTrue(Files.getPosixFilePermissions(tmp.resolve("report.html")).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
    }

    @Test
    void microTeleportsAreFarCloserToOrthogonalThanRandomDirections() throws Exception {
        var r = CliRun.of("experiment", "micro-teleport", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var json = new ObjectMapper().readTree(tmp.resolve("result.json").toFile());
        assertEquals(4, json.get("cases").size(), "MNIST and random data, batch 8 and 64");
        for (var c : json.get("cases")) {
            double micro = meanDeviation(c.get("micro_vs_gradient"));
            double control = meanDeviation(c.get("gradient_vs_random"));
            assertTrue(micro < control / 10, c.get("data") + " batch " + c.get("batch") + ": micro " + micro + "°, control " + control + "°");
        }
        assertEquals(8, Files.readString(tmp.resolve("report.html")).split("<svg", -1).length - 1);
    }

    private static double meanDeviation(com.fasterxml.jackson.databind.JsonNode angles) {
        double s = 0;
        for (var a : angles) s += Math.abs(a.asDouble() - 90);
        return s / angles.size();
    }

    @Test
    void gradientChangeGrowsWithTheCobRange() throws Exception {
        var r = CliRun.of("experiment", "gradient-scaling", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var curve = new ObjectMapper().readTree(tmp.resolve("result.json").toFile()).get("curve");
        assertEquals(4, curve.size());
        assertTrue(curve.get(3).get("mean").asDouble() > 10 * curve.get(0).get("mean").asDouble(),
                "r = 0.9 changes the gradient far more than r = 0.01: " + curve);
        assertTrue(Files.readString(tmp.resolve("report.html")).contains("<svg"));
    }

    @Test
    void flatnessInterpolatesBetweenMinimaWhoseEndsTeleportationKeeps() throws Exception {
        var r = CliRun.of("experiment", "flatness", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var curves = new ObjectMapper().readTree(tmp.resolve("result.json").toFile()).get("curves");
        assertEquals(4, curves.size(), "original line plus r = 0.1, 0.5, 0.9");
        double end0 = curves.get(0).get("loss").get(0).asDouble();
        for (var c : curves) {
            assertEquals(end0, c.get("loss").get(0).asDouble(), 1e-4, "teleporting keeps the end point's loss");
        }
        assertEquals(2, Files.readString(tmp.resolve("report.html")).split("<svg", -1).length - 1);
    }

    @Test
    void badArguments() {
        assertEquals(ExitCodes.USAGE, CliRun.of("experiment", "level-curves", "--teleports", "0", "-o", tmp.toString()).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("experiment", "level-curves", "--sampling", "INTRA", "--cob-range", "1.2",
                "-o", tmp.toString()).exitCode());
    }
}
