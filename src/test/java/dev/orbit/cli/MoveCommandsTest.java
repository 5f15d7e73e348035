package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class MoveCommandsTest {
    static final String CNN = "src/test/resources/fixtures/cnn_bn.onnx";
    static final String TANH = "src/test/resources/fixtures/mlp_tanh.onnx";

    @TempDir
    Path tmp;

    @Test
    void teleportWritesAVerifiedModelAndApplyInverseUndoesIt() throws Exception {
        Path out = tmp.resolve("tp.onnx");
        Path el = tmp.resolve("el.json");
        var r = CliRun.of("teleport", TANH, "-o", out.toString(), "--cob-range", "0.9", "--sampling", "INTER",
                "--permute", "--seed", "5", "--save-element", el.toString(), "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("verification").get("passed").asBoolean());
        assertTrue(json.get("relative_weight_change").asDouble() > 0.3, "r = 0.9 moves weights far");
        var inspect = CliRun.of("inspect", out.toString());
        assertTrue(inspect.out().contains("Mul×4"), "tanh with non-unit factors is rewritten τ·tanh(x/τ): " + inspect.out());

        Path back = tmp.resolve("back.onnx");
        var undo = CliRun.of("apply", out.toString(), el.toString(), "--inverse", "-o", back.toString());
        assertEquals(ExitCodes.OK, undo.exitCode(), undo.err() + undo.out());
        assertFalse(CliRun.of("inspect", back.toString()).out().contains("Mul"), "undo removes the rewrite");
        var same = CliRun.of("verify", TANH, back.toString(), "--tolerance", "1e-6");
        assertEquals(ExitCodes.OK, same.exitCode(), same.out());
    }

    @Test
    void permuteAndSymmetries() {
        Path out = tmp.resolve("perm.onnx");
        assertEquals(ExitCodes.OK, CliRun.of("permute", CNN, "-o", out.toString(), "--seed", "3").exitCode());
        var s = CliRun.of("symmetries", CNN);
        assertEquals(ExitCodes.OK, s.exitCode());
        assertTrue(s.out().contains("positive factors only") && s.out().contains("MaxPool"), s.out());
        var j = CliRun.of("symmetries", CNN, "--json");
        assertTrue(j.out().contains("\"spaces\"") && j.out().contains("\"perm_class\""), j.out());
    }

    @Test
    void badMoveArguments() throws Exception {
        Path out = tmp.resolve("x.onnx");
        assertEquals(ExitCodes.USAGE, CliRun.of("teleport", TANH, "-o", out.toString(), "--cob-range", "0").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("teleport", TANH, "-o", out.toString(), "--cob-range", "1.5").exitCode(),
                "intra sampling needs r < 1");
        Path copy = tmp.resolve("copy.onnx");
        Files.copy(Path.of(TANH), copy);
        var r = CliRun.of("teleport", copy.toString(), "-o", copy.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("overwrite the input"));
        assertFalse(Files.exists(out));
        // an element made for another model is refused
        Path el = tmp.resolve("el.json");
        CliRun.of("teleport", TANH, "-o", out.toString(), "--save-element", el.toString());
        var wrong = CliRun.of("apply", CNN, el.toString(), "-o", tmp.resolve("y.onnx").toString());
        assertEquals(ExitCodes.BAD_INPUT, wrong.exitCode());
        assertTrue(wrong.cleanError(), wrong.err());
    }
}
