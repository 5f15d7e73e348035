package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void trainsExportsAndVerifies() throws Exception {
        Path out = tmp.resolve("m.onnx");
        var r = CliRun.of("train", "--arch", "mlp:784-64-10:relu", "--epochs", "2", "--train-samples", "2000", "--seed", "3",
                "-o", out.toString(), "--quiet");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().matches("(?s).*test accuracy: 0\\.\\d{4}.*"), r.out());
        assertTrue(Files.size(out) > 10_000);
        var verify = CliRun.of("verify", out.toString(), "--data", "bundled", "--samples", "100");
        assertEquals(ExitCodes.OK, verify.exitCode(), verify.out());
        assertTrue(CliRun.of("inspect", out.toString()).out().contains("orbit.trained"));
    }

    @Test
    void cnnWithBatchNormAndAdam() throws Exception {
        Path out = tmp.resolve("cnn.onnx");
        var r = CliRun.of("train", "--arch", "cnn:1x28x28-c8/bn-p-fc32-10:relu", "--epochs", "2", "--train-samples", "3000",
                "--optimizer", "adam", "--lr", "0.002", "-o", out.toString(), "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("test_accuracy").asDouble() > 0.7, "BatchNorm running statistics must serve inference: " + r.out());
        assertTrue(json.get("verification").get("passed").asBoolean());
    }

    @Test
    void teleportsWithAPurposeAndAdaGrad() throws Exception {
        Path out = tmp.resolve("tele.onnx");
        var r = CliRun.of("train", "--arch", "mlp:784-16-10:relu", "--epochs", "1", "--train-samples", "500", "--optimizer", "adagrad",
                "--lr", "0.05", "--teleport", "grad-norm:every=4:steps=2:sample=32", "-o", out.toString(), "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("teleports").asInt(), "500 digits at batch 64 = 8 steps: teleports at steps 0 and 4");
        double err = json.get("teleport_worst_rel_error").asDouble();
        assertTrue(err > 0 && err <= 1e-4, "verified in ONNX Runtime: " + err);
        assertTrue(json.get("test_accuracy").asDouble() > 0.2, "learns past chance in 8 steps: " + r.out());
        for (String bad : new String[] {"nonsense", "grad-norm:every=-1", "trace:steps=x", "weight-norm:lr=0", "grad-norm:colour=red", "trace:sample=-1"}) {
            assertEquals(ExitCodes.USAGE, CliRun.of("train", "--arch", "mlp:784-16-10", "--teleport", bad, "-o", out.toString()).exitCode(), bad);
        }
    }

    @Test
    void badArguments() {
        Path out = tmp.resolve("x.onnx");
        assertEquals(ExitCodes.USAGE, CliRun.of("train", "--arch", "mlp:784", "-o", out.toString()).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("train", "--arch", "zzz:1-2", "-o", out.toString()).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("train", "--arch", "mlp:784-10", "--lr", "-1", "-o", out.toString()).exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("train", "--arch", "mlp:784-10", "--optimizer", "lbfgs", "-o", out.toString()).exitCode());
        var wrongInput = CliRun.of("train", "--arch", "mlp:100-10", "-o", out.toString(), "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, wrongInput.exitCode());
        assertTrue(wrongInput.cleanError(), wrongInput.err());
        var diverge = CliRun.of("train", "--arch", "mlp:784-64-10:relu", "--lr", "1e6", "--epochs", "1", "--train-samples", "500",
                "-o", out.toString(), "--quiet");
        assertEquals(ExitCodes.NUMERIC, diverge.exitCode(), diverge.err());
        assertTrue(diverge.err().contains("diverged"), diverge.err());
        assertFalse(Files.exists(out));
    }
}
