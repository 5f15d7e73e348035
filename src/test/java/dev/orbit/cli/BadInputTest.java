package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.tensor.DType;

/** Every malformed file, impossible argument and numeric failure: one clear line and a documented exit code. */
class BadInputTest {
    static final Path MLP = Path.of("src/test/resources/fixtures/mlp_relu.onnx");

    @TempDir
    Path tmp;

    private static void assertClean(CliRun r, int code) {
        assertEquals(code, r.exitCode(), "exit code; stderr was: " + r.err());
        assertTrue(r.cleanError(), "expected one clean line on stderr, got:\n" + r.err());
    }

    @Test
    void truncatedOnnxFile() throws IOException {
        byte[] all = Files.readAllBytes(MLP);
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(all, all.length / 3));
        var r = CliRun.of("inspect", cut.toString());
        assertClean(r, ExitCodes.BAD_INPUT);
        assertTrue(r.err().contains("not a valid ONNX model"), r.err());
    }

    @Test
    void nonOnnxFile() throws IOException {
        Path txt = tmp.resolve("notes.onnx");
        Files.writeString(txt, "this is not a model\n");
        assertClean(CliRun.of("inspect", txt.toString()), ExitCodes.BAD_INPUT);
        Path empty = tmp.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertClean(CliRun.of("verify", empty.toString()), ExitCodes.BAD_INPUT);
    }

    @Test
    void missingFile() {
        var r = CliRun.of("inspect", tmp.resolve("nope.onnx").toString());
        assertClean(r, ExitCodes.BAD_INPUT);
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void missingInitializer() throws Exception {
        // a Gemm whose weight is neither an input nor an initializer
        var proto = OnnxExporter.toProto(tinyModel()).toBuilder();
        var g = proto.getGraph().toBuilder().clearInitializer();
        Path p = tmp.resolve("noinit.onnx");
        Files.write(p, proto.setGraph(g).build().toByteArray());
        var r = CliRun.of("inspect", p.toString());
        assertClean(r, ExitCodes.BAD_INPUT);
        assertTrue(r.err().contains("'w'") && r.err().contains("no node, graph input or initializer"), r.err());
    }

    @Test
    void shapeMismatchAndZeroDimension() {
        var r = CliRun.of("verify", MLP.toString(), "--shape", "input=4,100");
        assertClean(r, ExitCodes.BAD_INPUT);
        assertTrue(r.err().contains("input"), r.err());
        assertClean(CliRun.of("verify", MLP.toString(), "--shape", "input=0,784"), ExitCodes.BAD_INPUT);
        assertClean(CliRun.of("verify", MLP.toString(), "--shape", "nosuch=1,784"), ExitCodes.BAD_INPUT);
        assertClean(CliRun.of("verify", MLP.toString(), "--random", "0"), ExitCodes.BAD_INPUT);
    }

    @Test
    void dynamicDimensionWithoutShapeIsNamed() throws Exception {
        Model m = tinyModel();
        var in = new ValueInfo("x", new ValueType(DType.FLOAT32, Shape.of(dev.orbit.graph.Dim.symbol("batch"),
                dev.orbit.graph.Dim.symbol("features"))));
        Path p = tmp.resolve("dyn.onnx");
        OnnxExporter.write(m.withGraph(m.graph().withInputs(List.of(in))), p);
        var r = CliRun.of("verify", p.toString());
        assertClean(r, ExitCodes.BAD_INPUT);
        assertTrue(r.err().contains("'features'") && r.err().contains("--shape x="), r.err());
        assertEquals(ExitCodes.OK, CliRun.of("verify", p.toString(), "--shape", "x=3,4").exitCode());
    }

    @Test
    void nanInputsAreRefused() throws IOException {
        Path dir = tmp.resolve("nan-digits");
        Files.createDirectories(dir);
        try (var out = new DataOutputStream(Files.newOutputStream(dir.resolve("t10k-images-idx3-ubyte")))) {
            out.writeInt(0x0D03);
            out.writeInt(2);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < 2 * 784; i++) out.writeFloat(i == 5 ? Float.NaN : 0.5f);
        }
        try (var out = new DataOutputStream(Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte")))) {
            out.writeInt(0x0801);
            out.writeInt(2);
            out.writeByte(1);
            out.writeByte(2);
        }
        var r = CliRun.of("verify", MLP.toString(), "--data", dir.toString());
        assertClean(r, ExitCodes.BAD_INPUT);
        assertTrue(r.err().contains("NaN"), r.err());
    }

    @Test
    void truncatedDataFile() throws IOException {
        Path dir = tmp.resolve("cut-digits");
        Files.createDirectories(dir);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0});
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 1, 2});
        assertClean(CliRun.of("verify", MLP.toString(), "--data", dir.toString()), ExitCodes.BAD_INPUT);
        assertClean(CliRun.of("verify", MLP.toString(), "--data", tmp.resolve("nodir").toString()), ExitCodes.BAD_INPUT);
    }

    @Test
    void unwritableOutputLeavesNothingBehind() throws IOException {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        var r = CliRun.of("demo", "-o", file.resolve("sub").toString());
        assertClean(r, ExitCodes.OUTPUT);
        Path ro = tmp.resolve("readonly");
        Files.createDirectories(ro);
        assertTrue(ro.toFile().setWritable(false));
        try {
            if (!Files.isWritable(ro)) { // root ignores permissions: only check when they bite
                assertClean(CliRun.of("demo", "-o", ro.toString()), ExitCodes.OUTPUT);
            }
        } finally {
            ro.toFile().setWritable(true);
        }
        try (var files = Files.list(ro)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ExitCodes.USAGE, CliRun.of("verify").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("frobnicate").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("verify", MLP.toString(), "--random", "4", "--data", "bundled").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("verify", MLP.toString(), "--shape", "input").exitCode());
    }

    @Test
    void unsupportedOpExitsSix() {
        var r = CliRun.of("verify", "src/test/resources/fixtures/unknown_op.onnx");
        assertClean(r, ExitCodes.UNSUPPORTED);
        assertTrue(r.err().contains("FancyActivation"), r.err());
    }

    @Test
    void differentModelsFailVerification() {
        var r = CliRun.of("verify", MLP.toString(), "src/test/resources/fixtures/mlp_gelu.onnx", "--json");
        assertEquals(ExitCodes.VERIFY_FAILED, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"max_abs_error\"") && r.out().contains("\"argmax_agreement\""), r.out());
    }

    @Test
    void inputIsNeverModified() throws IOException {
        byte[] before = Files.readAllBytes(MLP);
        CliRun.of("verify", MLP.toString(), MLP.toString());
        assertArrayEquals(before, Files.readAllBytes(MLP));
    }

    /** x[?,4] → Gemm(w[4,3]) → y */
    static Model tinyModel() {
        var x = new ValueInfo("x", new ValueType(DType.FLOAT32, Shape.of(2, 4)));
        var y = new ValueInfo("y", new ValueType(DType.FLOAT32, null));
        var n = new Node("fc", "Gemm", List.of("x", "w"), List.of("y"), Attributes.NONE);
        var w = dev.orbit.tensor.NdArray.ofFloats(new float[12], 4, 3);
        var g = new Graph("tiny", List.of(x), List.of(y), List.of(n), Map.of("w", w), Map.of(), "");
        return new Model(g, Map.of("", 13L), Model.ModelInfo.orbit());
    }
}
