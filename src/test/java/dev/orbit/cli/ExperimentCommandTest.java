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
    void symmetryTeleportRunsEveryArmAndVerifiesEveryTeleport() throws Exception {
        var r = CliRun.of("experiment", "symmetry-teleport", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var cells = new ObjectMapper().readTree(tmp.resolve("result.json").toFile()).get("cells");
        assertEquals(2 * 5, cells.size(), "SGD and AdaGrad × none, random, grad-norm, sharpness, ENorm");
        for (var cell : cells) {
            for (var run : cell.get("runs")) {
                String arm = cell.get("arm").asText();
                assertTrue(Double.isFinite(run.get("train_loss").get(0).asDouble()), "every arm trains: " + cell);
                int teleports = run.get("teleports").asInt();
                // 2 epochs of 500 digits at batch 64 = 16 steps: teleports at steps 0 and 8 (random: once, at initialisation)
                assertEquals(arm.equals("NONE") ? 0 : arm.equals("RANDOM") ? 1 : 2, teleports, arm);
                if (teleports > 0) assertTrue(run.get("worst_move_error").asDouble() <= 1e-4 && run.get("worst_move_error").asDouble() > 0, cell.toString());
            }
        }
        assertTrue(r.out().contains("grad-norm"), r.out());
        assertEquals(ExitCodes.USAGE, CliRun.of("experiment", "symmetry-teleport", "--teleport-lr", "0", "-o", tmp.toString()).exitCode());
    }

    @Test
    void teleportTrainingRunsThreeArmsPerSetting() throws Exception {
        var r = CliRun.of("experiment", "teleport-training", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var results = new ObjectMapper().readTree(tmp.resolve("result.json").toFile()).get("results");
        assertEquals(2, results.size());
        for (var s : results) {
            assertEquals(3, s.get("arms").size(), "plain, teleported, pseudo-teleported");
            for (var arm : s.get("arms")) {
                for (var row : arm.get("accuracy")) assertTrue(row.get(row.size() - 1).asDouble() > 0.3, "every arm learns: " + arm);
            }
        }
        assertEquals(2, Files.readString(tmp.resolve("report.html")).split("<svg", -1).length - 1);
        assertEquals(ExitCodes.USAGE, CliRun.of("experiment", "teleport-training", "--at-epoch", "9", "--epochs", "8",
                "-o", tmp.toString()).exitCode());
        for (String[] bad : new String[][] {{"--grid", "imagenet"}, {"--archs", "mlp:784-64-10:relu"}, {"--archs", "cnn:3x32x32-c16-10"},
                {"--optimizers", "rmsprop"}, {"--grid", "paper", "--at-epoch", "3"}}) {
            var args = new java.util.ArrayList<>(java.util.List.of("experiment", "teleport-training"));
            args.addAll(java.util.List.of(bad));
            args.addAll(java.util.List.of("-o", tmp.resolve("bad").toString()));
            var b = CliRun.of(args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, b.exitCode(), String.join(" ", bad) + ": " + b.err());
            assertTrue(b.err().lines().count() == 1, "one line: " + b.err());
        }
        // mid-training teleport: the teleported arm keeps its accuracy through the move (momentum moved with it)
        Path mid = tmp.resolve("mid");
        var m = CliRun.of("experiment", "teleport-training", "--quick", "--at-epoch", "1", "-o", mid.toString());
        assertEquals(ExitCodes.OK, m.exitCode(), m.err() + m.out());
        assertTrue(m.out().contains("after epoch 1"), m.out());
        var arms = new ObjectMapper().readTree(mid.resolve("result.json").toFile()).get("results").get(0).get("arms");
        for (var row : arms.get(1).get("accuracy")) assertTrue(row.get(1).asDouble() > 0.5, "teleported mid-training run still learns: " + row);
    }

    @Test
    void pseudoTeleportHasTheTeleportsL1SizeButNotItsFunction() {
        var m = dev.orbit.graph.build.NetworkBuilder.build(dev.orbit.graph.build.ArchSpec.parse("mlp:784-32-10:relu"),
                dev.orbit.train.Initializer.parse("kaiming"), 1);
        var a = dev.orbit.symmetry.SpaceAnalyzer.analyze(m);
        var g = dev.orbit.symmetry.Sampling.scales(a, new dev.orbit.symmetry.Sampling.Cob(dev.orbit.symmetry.Sampling.Kind.INTER, 0.9, 0), 5);
        var real = dev.orbit.landscape.TeleportTraining.move(m, a, g, dev.orbit.landscape.TeleportTraining.Arm.TELEPORT, 0);
        var pseudo = dev.orbit.landscape.TeleportTraining.move(m, a, g, dev.orbit.landscape.TeleportTraining.Arm.PSEUDO, 0);
        for (var e : m.graph().parameters().entrySet()) {
            double l1Real = 0;
            double l1Pseudo = 0;
            for (long i = 0; i < e.getValue().size(); i++) {
                l1Real += Math.abs(real.graph().parameter(e.getKey()).getAsDouble(i) - e.getValue().getAsDouble(i));
                l1Pseudo += Math.abs(pseudo.graph().parameter(e.getKey()).getAsDouble(i) - e.getValue().getAsDouble(i));
            }
            assertEquals(l1Real, l1Pseudo, 1e-3 * Math.max(1, l1Real), e.getKey());
        }
        assertEquals(m.graph().nodes().size(), pseudo.graph().nodes().size(), "a pseudo-teleport rewrites no activation");
    }

    @Test
    void badArguments() {
        var badLr = CliRun.of("experiment", "mode-connectivity", "--lr", "-0.1", "-o", tmp.toString());
        assertEquals(ExitCodes.USAGE, badLr.exitCode(), badLr.err());
        assertTrue(badLr.cleanError(), badLr.err());
        assertEquals(ExitCodes.USAGE, CliRun.of("experiment", "level-curves", "--teleports", "0", "-o", tmp.toString()).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("experiment", "level-curves", "--sampling", "INTRA", "--cob-range", "1.2",
                "-o", tmp.toString()).exitCode());
    }
}
