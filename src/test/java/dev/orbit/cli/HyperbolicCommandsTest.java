package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The three hyperbolic commands end to end in --quick form, and their user errors. */
class HyperbolicCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void trainThenOrbit() throws Exception {
        Path dir = tmp.resolve("train");
        var r = CliRun.of("hyperbolic-train", "--quick", "--no-peer", "-o", dir.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var json = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertTrue(json.get("hyperbolic").get("test_accuracy").asDouble() > 0.25, r.out());
        assertTrue(json.get("ort_float64_rel_error").asDouble() < 1e-12, "float64 export agrees: " + json);
        assertTrue(json.get("ort_float32_rel_error").asDouble() < 1e-4, "float32 export: " + json);
        for (String f : new String[] {"model.onnx", "model.standard.onnx", "model.float32.onnx", "report.html", "index.html"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        // the saved model is Orbit's form: inspect names it, and any command can load it
        assertTrue(CliRun.of("inspect", dir.resolve("model.onnx").toString()).out().contains("HyperbolicLengthProduct"));
        // symmetries names each length-product layer's own group
        String sym = CliRun.of("symmetries", dir.resolve("model.onnx").toString()).out();
        assertEquals(2, sym.split("PSL\\(2,R\\) Möbius maps of H²", -1).length - 1, sym);
        // the standard export runs in ONNX Runtime: Orbit vs ORT on it
        var v = CliRun.of("verify", dir.resolve("model.standard.onnx").toString(), "--data", "bundled", "--samples", "20");
        assertEquals(ExitCodes.OK, v.exitCode(), v.out() + v.err());

        Path orbit = tmp.resolve("orbit");
        var o = CliRun.of("hyperbolic-orbit", dir.resolve("model.onnx").toString(), "-n", "2", "--samples", "20", "-o", orbit.toString());
        assertEquals(ExitCodes.OK, o.exitCode(), o.err() + o.out());
        var oj = new ObjectMapper().readTree(orbit.resolve("result.json").toFile());
        assertEquals(2, oj.get("copies").size());
        assertTrue(oj.get("max_orbit_float64").asDouble() < 1e-9 && oj.get("max_ort_float64").asDouble() < 1e-9, oj.toString());
        assertTrue(oj.get("copies").get(0).get("weight_change").asDouble() > 0.1);
        assertTrue(Files.exists(orbit.resolve("model-0002.onnx")) && Files.exists(orbit.resolve("model-0002.standard.onnx"))
                && Files.exists(orbit.resolve("model-0002.element.json")));
        assertEquals(3, Files.readString(orbit.resolve("report.html")).split("<svg", -1).length - 1);
        // a moved copy is itself a valid starting point, and its standard export verifies in ONNX Runtime
        var again = CliRun.of("hyperbolic-orbit", orbit.resolve("model-0001.onnx").toString(), "-n", "1", "--no-models", "--samples", "5",
                "-o", tmp.resolve("again").toString());
        assertEquals(ExitCodes.OK, again.exitCode(), again.err());
        // an impossible tolerance fails verification with exit code 1, not an error
        var strict = CliRun.of("hyperbolic-orbit", dir.resolve("model.onnx").toString(), "-n", "1", "--no-models", "--samples", "5",
                "--tolerance", "1e-30", "-o", tmp.resolve("strict").toString());
        assertEquals(ExitCodes.VERIFY_FAILED, strict.exitCode(), strict.out());
    }

    @Test
    void ensembleQuickComparesThreeArms() throws Exception {
        var r = CliRun.of("hyperbolic-ensemble", "--quick", "-o", tmp.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        var arms = new ObjectMapper().readTree(tmp.resolve("result.json").toFile()).get("ensemble").get("arms");
        assertEquals(3, arms.size());
        for (var a : arms) {
            assertEquals(2, a.get("test_accuracy").size(), "two seeds");
            assertTrue(a.get("final_mean").asDouble() > 0.1, a.toString());
        }
        assertTrue(Files.readString(tmp.resolve("report.html")).contains("Verdict"));
    }

    @Test
    void userErrorsAreOneLine() throws Exception {
        var missing = CliRun.of("hyperbolic-orbit", tmp.resolve("nope.onnx").toString(), "-o", tmp.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertTrue(missing.cleanError(), missing.err());
        // an ordinary model has no length-product layers
        var plain = CliRun.of("hyperbolic-orbit", "src/test/resources/fixtures/mlp_relu.onnx", "-o", tmp.resolve("p").toString());
        assertEquals(ExitCodes.BAD_INPUT, plain.exitCode(), plain.err());
        assertTrue(plain.cleanError() && plain.err().contains("no length-product layers"), plain.err());
        var badN = CliRun.of("hyperbolic-orbit", "src/test/resources/fixtures/mlp_relu.onnx", "-n", "0", "-o", tmp.resolve("q").toString());
        assertEquals(ExitCodes.USAGE, badN.exitCode());
        assertTrue(badN.cleanError(), badN.err());
        var badSpace = CliRun.of("hyperbolic-train", "--space", "h1", "-o", tmp.resolve("t").toString());
        assertEquals(ExitCodes.USAGE, badSpace.exitCode());
        assertTrue(badSpace.cleanError() && badSpace.err().contains("h1"), badSpace.err());
        var badWidths = CliRun.of("hyperbolic-train", "--widths", "100-10", "-o", tmp.resolve("t").toString());
        assertEquals(ExitCodes.USAGE, badWidths.exitCode());
        assertTrue(badWidths.cleanError(), badWidths.err());
        var badEmbedding = CliRun.of("hyperbolic-ensemble", "--space", "euclidean2", "-o", tmp.resolve("e").toString());
        assertEquals(ExitCodes.USAGE, badEmbedding.exitCode());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        var badOut = CliRun.of("hyperbolic-train", "--quick", "-o", file.resolve("sub").toString());
        assertEquals(ExitCodes.OUTPUT, badOut.exitCode(), badOut.err());
        assertTrue(badOut.cleanError(), badOut.err());
    }
}
