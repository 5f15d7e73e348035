package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.HostileOnnx;
import dev.orbit.io.UnsafePathException;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.verify.OrtRunner;

/**
 * External data may only come from the model's own folder (issue 16, CVE-2022-25882 / CVE-2024-27318 class):
 * '..', absolute and symlinked locations are refused with exit 3 and one line naming the tensor and location,
 * before the outside file is opened, and no command writes an output.
 */
class ExternalDataConfinementTest {
    @TempDir
    Path tmp;
    Path modelDir;
    Path secret;

    @BeforeEach
    void layout() throws IOException {
        modelDir = Files.createDirectories(tmp.resolve("model"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        secret = outside.resolve("secret.bin");
        Files.write(secret, HostileOnnx.weightBytes()); // exactly the size a 4×4 float weight needs
        Files.write(modelDir.resolve("weights.bin"), HostileOnnx.weightBytes());
    }

    private Path model(OnnxMl.ModelProto proto) throws IOException {
        Path p = modelDir.resolve("m.onnx");
        Files.write(p, proto.toByteArray());
        return p;
    }

    private Path external(String location) throws IOException {
        return model(HostileOnnx.matmul(HostileOnnx.externalTensor("w", location, -1, -1, 4, 4)));
    }

    /** exit 3, one clean line naming the tensor and the location; and a move writes nothing. */
    private void refused(Path model, String location, String reason) {
        var r = CliRun.of("inspect", model.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.cleanError(), r.err());
        assertTrue(r.err().contains("tensor 'w'") && r.err().contains(location) && r.err().contains(reason), r.err());
        Path out = tmp.resolve("moved.onnx");
        assertEquals(ExitCodes.BAD_INPUT, CliRun.of("teleport", model.toString(), "-o", out.toString(), "--no-verify").exitCode());
        assertFalse(Files.exists(out), "nothing may be written from a refused model");
    }

    @Test
    void inFolderLocationLoads() throws IOException {
        var r = CliRun.of("verify", external("weights.bin").toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    }

    @Test
    void dotDotIsRefused() throws IOException {
        refused(external("../outside/secret.bin"), "../outside/secret.bin", "'..' component");
        refused(external("sub/../../outside/secret.bin"), "sub/../../outside/secret.bin", "'..' component");
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        refused(external(secret.toString()), secret.toString(), "absolute path");
        refused(external("/etc/passwd"), "/etc/passwd", "absolute path");
    }

    @Test
    void symlinkOutsideIsRefused() throws IOException {
        Files.createSymbolicLink(modelDir.resolve("link.bin"), secret);
        refused(external("link.bin"), "link.bin", "resolves outside");
        // a symlinked folder inside the model's folder that points elsewhere
        Files.createSymbolicLink(modelDir.resolve("sub"), secret.getParent());
        refused(external("sub/secret.bin"), "sub/secret.bin", "resolves outside");
    }

    @Test
    void symlinkInsideTheFolderIsFine() throws IOException {
        Files.createSymbolicLink(modelDir.resolve("alias.bin"), modelDir.resolve("weights.bin"));
        assertEquals(ExitCodes.OK, CliRun.of("inspect", external("alias.bin").toString()).exitCode());
    }

    @Test
    void rangesBeyondTheFileAndBadNumbersAreRefused() throws IOException {
        String[][] cases = {
                {"16", "-1", "beyond the file's end"},          // 16 + 64 > 64
                {"-1", "128", "disagrees with its shape"},       // declared length ≠ 4·4·4
                {"9223372036854775807", "-1", "beyond the file's end"},
                {"x", "-1", "not a non-negative whole number"},
                {"-5", "-1", "not a non-negative whole number"},
        };
        for (String[] c : cases) {
            var t = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(HostileOnnx.FLOAT).addDims(4).addDims(4)
                    .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL).addExternalData(HostileOnnx.entry("location", "weights.bin"));
            if (!c[0].equals("-1")) t.addExternalData(HostileOnnx.entry("offset", c[0]));
            if (!c[1].equals("-1")) t.addExternalData(HostileOnnx.entry("length", c[1]));
            var r = CliRun.of("inspect", model(HostileOnnx.matmul(t.build())).toString());
            assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
            assertTrue(r.cleanError() && r.err().contains(c[2]), String.join(",", c) + ": " + r.err());
        }
    }

    @Test
    void twoTensorsMayNotShareBytes() throws IOException {
        var g = HostileOnnx.matmul(HostileOnnx.externalTensor("w", "weights.bin", 0, 64, 4, 4)).getGraph().toBuilder()
                .addInitializer(HostileOnnx.externalTensor("w2", "weights.bin", 32, 16, 2, 2));
        var r = CliRun.of("inspect", model(HostileOnnx.model(g.build())).toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("overlap"), r.err());
    }

    @Test
    void modelBytesWithoutAFolderMayNameNoFile() {
        byte[] bytes = HostileOnnx.matmul(HostileOnnx.externalTensor("w", "weights.bin", -1, -1, 4, 4)).toByteArray();
        var e = assertThrows(UnsafePathException.class, () -> OnnxImporter.read(bytes, null, "bytes"));
        assertTrue(e.getMessage().contains("without a folder"), e.getMessage());
    }

    @Test
    void subgraphExternalDataIsConfinedToo() throws IOException {
        Path m = model(HostileOnnx.ifWithBranchWeight(HostileOnnx.externalTensor("w_branch", "../outside/secret.bin", -1, -1, 4, 4)));
        var r = CliRun.of("inspect", m.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("'..' component"), r.err());
    }

    @Test
    void confinedSubgraphExternalDataIsInlinedBeforeOnnxRuntime() throws IOException {
        Path m = model(HostileOnnx.ifWithBranchWeight(HostileOnnx.externalTensor("w_branch", "weights.bin", -1, -1, 4, 4)));
        var loaded = OnnxImporter.read(m);
        // ONNX Runtime only ever gets Orbit's re-serialisation: no external location left anywhere
        byte[] bytes = dev.orbit.io.onnx.OnnxExporter.toBytes(loaded);
        dev.orbit.io.onnx.SelfContained.require(bytes);
        // and it runs there: ONNX Runtime sees the branch weight inline (verify A against a copy of itself)
        Path copy = modelDir.resolve("copy.onnx");
        Files.copy(m, copy);
        var r = CliRun.of("verify", m.toString(), copy.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
    }

    @Test
    void onnxRuntimeNeverGetsAFilesOwnLocations() throws IOException {
        // the raw file bytes, handed straight to the runner, are refused before ONNX Runtime's resolver sees them
        byte[] hostile = HostileOnnx.matmul(HostileOnnx.externalTensor("w", "../outside/secret.bin", -1, -1, 4, 4)).toByteArray();
        var e = assertThrows(ModelFormatException.class, () -> new OrtRunner(hostile, 1));
        assertTrue(e.getMessage().contains("names external data"), e.getMessage());
        byte[] nested = HostileOnnx.ifWithBranchWeight(HostileOnnx.externalTensor("w_branch", secret.toString(), -1, -1, 4, 4)).toByteArray();
        assertThrows(ModelFormatException.class, () -> new OrtRunner(nested, 1));
    }

    @Test
    void dataFolderFilesMustStayInside() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("digits"));
        Path elsewhere = tmp.resolve("outside/t10k-images-idx3-ubyte");
        Files.write(elsewhere, new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
        Files.createSymbolicLink(data.resolve("t10k-images-idx3-ubyte"), elsewhere);
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
        var r = CliRun.of("verify", "src/test/resources/fixtures/mlp_relu.onnx", "--data", data.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.cleanError() && r.err().contains("resolves outside the data folder"), r.err());
    }
}
