package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.HostileOnnx;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.idx.IdxReader;

/**
 * Issue 16, item 2: every file that declares more than it holds, or more than Orbit allows, gets a typed error,
 * exit 3 and one line, within a few seconds and a few tens of megabytes of heap allocated by the reading thread.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BoundedParsingTest {
    /** Heap the reading thread may allocate for one hostile file (class loading included). */
    static final long ALLOCATION_BOUND = 96L << 20;

    @TempDir
    Path tmp;

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path file(String name, OnnxMl.ModelProto m) throws IOException { return file(name, m.toByteArray()); }

    /** Runs the command, asserts exit 3, one clean line containing {@code expected}, and bounded allocation. */
    private static CliRun refused(String expected, String... args) {
        var r = bounded(() -> CliRun.of(args));
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.cleanError(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        return r;
    }

    static <T> T bounded(Supplier<T> body) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        T result = body.get();
        long used = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(used < ALLOCATION_BOUND, "allocated " + (used >> 20) + " MB reading a hostile file");
        return result;
    }

    private static OnnxMl.TensorProto declared(long... dims) {
        var t = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(HostileOnnx.FLOAT);
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    @Test
    void dimsWhoseProductOverflowsALong() throws IOException {
        Path p = file("overflow.onnx", HostileOnnx.matmul(declared(1L << 32, 1L << 32, 1L << 32)));
        refused("invalid shape", "inspect", p.toString());
        // the product fits, the byte count does not
        refused("invalid shape", "inspect", file("bytes.onnx", HostileOnnx.matmul(declared(1L << 62))).toString());
    }

    @Test
    void negativeDims() throws IOException {
        refused("invalid shape", "inspect", file("neg.onnx", HostileOnnx.matmul(declared(-1, 4))).toString());
        var g = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4)).getGraph().toBuilder()
                .setInput(0, HostileOnnx.value("x", HostileOnnx.FLOAT, 1, -3));
        refused("negative dimension", "inspect", file("neginput.onnx", HostileOnnx.model(g.build())).toString());
    }

    @Test
    void aOneKilobyteModelDeclaringFourTerabytes() throws IOException {
        long[] fourTb = {1L << 20, 1L << 20}; // 2^40 floats: 4 TiB
        // an initializer with no data: refused by count before anything is allocated
        Path noData = file("4tb.onnx", HostileOnnx.matmul(declared(fourTb)));
        assertTrue(Files.size(noData) < 1024);
        refused("holds 0 values", "inspect", noData.toString());
        // raw data that does not match
        refused("needs 4398046511104", "inspect", file("raw.onnx", HostileOnnx.matmul(HostileOnnx.rawTensor("w", new byte[16], fourTb))).toString());
        // external data of 4 TB: the file is 64 bytes
        Files.write(tmp.resolve("weights.bin"), HostileOnnx.weightBytes());
        refused("beyond the file's end", "inspect",
                file("ext.onnx", HostileOnnx.matmul(HostileOnnx.externalTensor("w", "weights.bin", 0, -1, fourTb))).toString());
        // a graph input of 4 TB: verification would generate it
        var g = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4)).getGraph().toBuilder()
                .setInput(0, HostileOnnx.value("x", HostileOnnx.FLOAT, 1L << 20, 1L << 20, 1L << 10));
        refused("more than the limit", "verify", file("input.onnx", HostileOnnx.model(g.build())).toString());
        // a ConstantOfShape that asks for 4 TB at run time: refused before ONNX Runtime or libtorch allocate
        refused("more than the limit", "verify", file("cos.onnx", constantOfShape(fourTb)).toString());
    }

    /**
     * Commands that run a user's model in libtorch without verifying it first (Jacobians, gradients) check the
     * same budget before the first run: the 4 TiB ConstantOfShape is refused by the limit, not by libtorch's
     * allocator (which under memory overcommit may grant a few tens of GB and let the kernel kill the process).
     */
    @Test
    @Timeout(120) // three commands that first load the bundled digits, not one file read
    void runsWithoutVerificationCheckTheBudgetFirst() throws IOException {
        String cos = file("cos.onnx", constantOfShape(1L << 20, 1L << 20)).toString();
        for (String[] args : List.of(
                new String[] {"jacobian", "--model", cos, "--points", "1", "-o", tmp.resolve("j").toString()},
                new String[] {"experiment", "micro-teleport", "--quick", "--model", cos, "-o", tmp.resolve("mt").toString()},
                new String[] {"experiment", "gradient-scaling", "--quick", "--model", cos, "-o", tmp.resolve("gs").toString()})) {
            // not bounded(): these commands load the bundled digits (tens of MB of heap) before they see the model
            var r = CliRun.of(args);
            assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.cleanError(), r.err());
            assertTrue(r.err().contains("would take 4398046511104 bytes, more than the limit"), args[0] + " " + args[1] + ": " + r.err());
        }
    }

    /** x → y, plus an output filled by ConstantOfShape(shape) with the shape in an initializer. */
    static OnnxMl.ModelProto constantOfShape(long... shape) {
        var s = OnnxMl.TensorProto.newBuilder().setName("shape").setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(shape.length);
        for (long d : shape) s.addInt64Data(d);
        var g = OnnxMl.GraphProto.newBuilder().setName("g")
                .addInput(HostileOnnx.value("x", HostileOnnx.FLOAT, 1, 4)).addOutput(HostileOnnx.value("y", HostileOnnx.FLOAT, 1, 4))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("big").setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(HostileOnnx.FLOAT))))
                .addInitializer(s)
                .addNode(HostileOnnx.node("Relu", List.of("x"), List.of("y")))
                .addNode(HostileOnnx.node("ConstantOfShape", List.of("shape"), List.of("big")));
        return HostileOnnx.model(g.build());
    }

    @Test
    void deeplyNestedSubgraphs() throws IOException {
        refused("deeper than 100 levels", "inspect", file("deep.onnx", HostileOnnx.nestedIfs(200)).toString());
        // the same limit holds for model bytes handed to the importer directly
        byte[] deep = HostileOnnx.nestedIfs(40).toByteArray();
        var limits = ReadLimits.defaults();
        var e = assertThrows(ModelFormatException.class, () -> limits.runWith(() ->
                dev.orbit.io.onnx.OnnxImporter.read(deep, null, "deep")));
        assertTrue(e.getMessage().contains("deeper"), e.getMessage());
        // twenty levels are well within the limit and load
        assertEquals(ExitCodes.OK, CliRun.of("inspect", file("twenty.onnx", HostileOnnx.nestedIfs(20)).toString()).exitCode());
    }

    @Test
    void aMillionNodes() throws IOException {
        Path p = file("million.onnx", HostileOnnx.reluChain(1_000_000));
        long start = System.nanoTime();
        refused("more than 100000 nodes", "inspect", p.toString());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the census refuses a million nodes in seconds");
    }

    @Test
    void nodeLimitIsAnOption() throws IOException {
        Path p = file("fifty.onnx", HostileOnnx.reluChain(50));
        assertEquals(ExitCodes.OK, CliRun.of("inspect", p.toString()).exitCode());
        refused("more than 10 nodes", "inspect", p.toString(), "--max-nodes", "10");
        assertEquals(ExitCodes.USAGE, CliRun.of("inspect", p.toString(), "--max-nodes", "0").exitCode());
    }

    @Test
    void byteLimitIsAnOption() {
        String mlp = "src/test/resources/fixtures/mlp_relu.onnx";
        refused("more than the limit of 1024", "inspect", mlp, "--max-bytes", "1K");
        assertEquals(ExitCodes.OK, CliRun.of("inspect", mlp, "--max-bytes", "1M").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("inspect", mlp, "--max-bytes", "lots").exitCode());
        // the limit reaches generated inputs too
        refused("more than the limit of 1024", "verify", mlp, "--random", "16", "--max-bytes", "1K");
    }

    @Test
    void hugeStrings() throws IOException {
        String big = "n".repeat(2 << 20);
        var g = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4)).getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().setName(big));
        refused("more than the limit of 1048576 bytes", "inspect", file("name.onnx", HostileOnnx.model(g.build())).toString());
        var doc = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4)).toBuilder().setDocString(big);
        refused("ModelProto.doc_string", "inspect", file("doc.onnx", doc.build()).toString());
        // a long name that is allowed still prints as one short line
        String ugly = "\u001b[31m" + "x".repeat(5000) + "\n";
        var g2 = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4)).getGraph().toBuilder();
        g2.setNode(0, g2.getNode(0).toBuilder().setInput(0, ugly));
        var r = refused("no node, graph input or initializer", "inspect", file("ugly.onnx", HostileOnnx.model(g2.build())).toString());
        assertTrue(r.err().length() < 1200 && !r.err().contains("\u001b"), r.err());
    }

    @Test
    void cyclicGraphs() throws IOException {
        var g = OnnxMl.GraphProto.newBuilder().setName("g").addInput(HostileOnnx.value("x", HostileOnnx.FLOAT, 1, 4))
                .addOutput(HostileOnnx.value("b", HostileOnnx.FLOAT, 1, 4))
                .addNode(HostileOnnx.node("Add", List.of("x", "b"), List.of("a")))
                .addNode(HostileOnnx.node("Relu", List.of("a"), List.of("b")));
        refused("cycle", "inspect", file("cycle.onnx", HostileOnnx.model(g.build())).toString());
        var self = OnnxMl.GraphProto.newBuilder().setName("g").addInput(HostileOnnx.value("x", HostileOnnx.FLOAT, 1, 4))
                .addOutput(HostileOnnx.value("a", HostileOnnx.FLOAT, 1, 4))
                .addNode(HostileOnnx.node("Add", List.of("x", "a"), List.of("a")));
        refused("cycle", "inspect", file("self.onnx", HostileOnnx.model(self.build())).toString());
    }

    @Test
    void duplicateValueNames() throws IOException {
        var base = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4));
        var twoProducers = base.getGraph().toBuilder().addNode(HostileOnnx.node("Relu", List.of("x"), List.of("y")));
        refused("defined more than once", "inspect", file("dup1.onnx", HostileOnnx.model(twoProducers.build())).toString());
        var twoInitializers = base.getGraph().toBuilder().addInitializer(HostileOnnx.rawTensor("w", new byte[4], 1));
        refused("initializer 'w' is defined more than once", "inspect", file("dup2.onnx", HostileOnnx.model(twoInitializers.build())).toString());
        var twoInputs = base.getGraph().toBuilder().addInput(HostileOnnx.value("x", HostileOnnx.FLOAT, 1, 4));
        refused("declared twice", "inspect", file("dup3.onnx", HostileOnnx.model(twoInputs.build())).toString());
        var outputIsInput = base.getGraph().toBuilder().addNode(HostileOnnx.node("Relu", List.of("y"), List.of("x")));
        refused("defined more than once", "inspect", file("dup4.onnx", HostileOnnx.model(outputIsInput.build())).toString());
        var attr = OnnxMl.AttributeProto.newBuilder().setName("alpha").setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(1);
        var twoAttrs = base.getGraph().toBuilder();
        twoAttrs.setNode(0, twoAttrs.getNode(0).toBuilder().addAttribute(attr).addAttribute(attr));
        refused("attribute 'alpha' twice", "inspect", file("dup5.onnx", HostileOnnx.model(twoAttrs.build())).toString());
    }

    @Test
    void aNodeConsumingAValueNobodyProduces() throws IOException {
        var g = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4)).getGraph().toBuilder()
                .addNode(HostileOnnx.node("Relu", List.of("ghost"), List.of("z")));
        refused("'ghost', which no node, graph input or initializer provides", "inspect", file("ghost.onnx", HostileOnnx.model(g.build())).toString());
        var noProducer = HostileOnnx.matmul(HostileOnnx.rawTensor("w", HostileOnnx.weightBytes(), 4, 4)).getGraph().toBuilder()
                .addOutput(HostileOnnx.value("nobody", HostileOnnx.FLOAT, 1));
        refused("'nobody' is not produced", "inspect", file("out.onnx", HostileOnnx.model(noProducer.build())).toString());
    }

    @Test
    void idxHeadersThatLie() throws IOException {
        // 2^31-1 cubed values: the count overflows
        byte[] overflow = {0, 0, 8, 3, 0x7f, -1, -1, -1, 0x7f, -1, -1, -1, 0x7f, -1, -1, -1};
        var e = bounded(() -> assertThrows(LimitExceededException.class,
                () -> IdxReader.read(new ByteArrayInputStream(overflow), "overflow", ReadLimits.defaults())));
        assertTrue(e.getMessage().contains("64-bit"), e.getMessage());
        // a billion declared, nothing there: refused as truncated without allocating a gigabyte
        byte[] billion = {0, 0, 8, 1, 0x3b, -0x66, -0x36, 0, 1, 2, 3};
        var t = bounded(() -> assertThrows(ModelFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(billion), "billion", ReadLimits.defaults())));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        // a gzip bomb: 64 MB of zeros in ~64 KB, refused by the limit before it is inflated
        var gz = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(gz)) {
            out.write(new byte[] {0, 0, 8, 1, 0x04, 0, 0, 0});
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) out.write(zeros);
        }
        var b = bounded(() -> assertThrows(LimitExceededException.class,
                () -> IdxReader.read(new ByteArrayInputStream(gz.toByteArray()), "bomb", ReadLimits.defaults().withMaxBytes(1 << 20))));
        assertTrue(b.getMessage().contains("more than the limit"), b.getMessage());
        // and through the command line
        Path dir = Files.createDirectories(tmp.resolve("digits"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gz.toByteArray());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
        refused("more than the limit", "verify", "src/test/resources/fixtures/mlp_relu.onnx", "--data", dir.toString(), "--max-bytes", "1M");
    }

    @Test
    void labelsOutsideTheOutputsNeverReachLibtorch() throws IOException {
        // found while checking what reaches native code: libtorch's loss failed with exit 70 and its stack in the message
        Path dir = Files.createDirectories(tmp.resolve("labels"));
        for (String split : new String[] {"train", "t10k"}) {
            byte[] images = new byte[16 + 4 * 784];
            System.arraycopy(new byte[] {0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 28, 0, 0, 0, 28}, 0, images, 0, 16);
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), images);
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 4, 1, 2, (byte) 200, 3});
        }
        refused("label 200 does not fit the 10 outputs", "train", "--arch", "mlp:784-8-10:relu", "--epochs", "1", "--quiet",
                "--data", dir.toString(), "-o", tmp.resolve("m.onnx").toString());
    }

    @Test
    void elementFilesThatAreNotJson() throws IOException {
        String mlp = "src/test/resources/fixtures/mlp_relu.onnx";
        Path deep = file("deep.json", ("{\"format\":\"orbit-element/1\",\"scales\":{\"0\":" + "[".repeat(5000) + "]".repeat(5000) + "}}").getBytes());
        refused("cannot read element file", "apply", mlp, deep.toString(), "-o", tmp.resolve("o.onnx").toString());
        Path big = file("big.json", ("{\"format\":\"" + "x".repeat(2 << 20) + "\"}").getBytes());
        refused("element file", "apply", mlp, big.toString(), "-o", tmp.resolve("o.onnx").toString());
    }

    /**
     * Fuzz finding (element campaign, 2026-12-07): a non-number inside a matrix row made the message quote the whole
     * JSON node (megabytes for a nested array); names taken from the file (matrix kind, keys, a space's origin) were
     * not escaped, so a newline split the message. Each is now one short line.
     */
    @Test
    void elementFileMessagesNeverEchoTheInput() throws IOException {
        String mlp = "src/test/resources/fixtures/mlp_relu.onnx";
        String attention = "src/test/resources/fixtures/relu_attention.onnx";
        String huge = "[" + "1,".repeat(200_000) + "1]";
        String[] bodies = {
            "{\"format\":\"orbit-element/2\",\"matrices\":[{\"kind\":\"rotation\",\"stream\":0,\"matrix\":[[" + huge + "]]}]}",
            "{\"format\":\"orbit-element/2\",\"matrices\":[{\"kind\":\"rot\\nation\"}]}",
            "{\"format\":\"orbit-element/1\",\"scales\":{\"0\\n1\":[1]}}",
            "{\"format\":\"orbit-element/1\",\"spaces\":[{\"id\":0,\"size\":5,\"origin\":\"Gemm\\n" + "x".repeat(100_000) + "\"}]}",
        };
        for (int i = 0; i < bodies.length; i++) {
            Path f = file("e" + i + ".json", bodies[i].getBytes());
            for (String model : List.of(mlp, attention)) {
                var r = refused("element", "apply", model, f.toString(), "-o", tmp.resolve("o.onnx").toString());
                assertTrue(r.err().length() < 600, () -> "message of " + r.err().length() + " characters: " + r.err().substring(0, 300));
                assertEquals(1, r.err().strip().lines().count(), r.err());
            }
        }
    }

    @Test
    void rawDataIsNotAString() throws IOException {
        // raw_data is bytes, bounded by the file itself, and may be far above the string limit
        byte[] raw = new byte[(2 << 20) + 64];
        var w = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(HostileOnnx.FLOAT).addDims(raw.length / 4)
                .setRawData(ByteString.copyFrom(raw)).build();
        var g = OnnxMl.GraphProto.newBuilder().setName("g").addInput(HostileOnnx.value("x", HostileOnnx.FLOAT, 1))
                .addOutput(HostileOnnx.value("y", HostileOnnx.FLOAT, raw.length / 4)).addInitializer(w)
                .addNode(HostileOnnx.node("Mul", List.of("x", "w"), List.of("y")));
        assertEquals(ExitCodes.OK, CliRun.of("inspect", file("rawbig.onnx", HostileOnnx.model(g.build())).toString()).exitCode());
    }
}
