package dev.orbit.zoo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orbit.tensor.NdArray;

/**
 * The ground-truth zoo under src/test/resources/zoo (scripts/make_zoo.py, docs/ZOO.md): per model a sidecar
 * MODEL.json with its input and reference output, and one MODEL_opN.onnx (+ .expected.json) per exported opset.
 */
final class Zoo {
    static final Path DIR = Path.of("src/test/resources/zoo");
    static final ObjectMapper JSON = new ObjectMapper();

    private Zoo() {}

    /** One model: its sample input and the reference output (PyTorch, or torch by hand for hand-built graphs). */
    record Model(String name, String inputName, NdArray input, String outputName, NdArray reference, JsonNode meta) {}

    /** One ONNX file of a model at one opset. */
    record File(Model model, int opset, Path onnx) {
        String name() { return onnx.getFileName().toString(); }

        Path expected() { return onnx.resolveSibling(name().replace(".onnx", ".expected.json")); }

        @Override public String toString() { return name(); }
    }

    static List<Model> models() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.endsWith(".expected.json") && !n.equals(ZooStatus.FILE))
                    .sorted().map(n -> load(DIR.resolve(n))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<File> files() {
        List<File> out = new ArrayList<>();
        for (Model m : models()) {
            m.meta().get("files").properties().forEach(e ->
                    out.add(new File(m, Integer.parseInt(e.getKey()), DIR.resolve(e.getValue().asText()))));
        }
        return out;
    }

    static JsonNode read(Path json) {
        try {
            return JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Model load(Path json) {
        JsonNode meta = read(json);
        JsonNode in = meta.get("input");
        JsonNode out = meta.get("output");
        return new Model(meta.get("model").asText(), in.get("name").asText(), floats(in), out.get("name").asText(),
                floats(out), meta);
    }

    private static NdArray floats(JsonNode io) {
        if (!io.get("dtype").asText().equals("float32")) throw new IllegalStateException("zoo tensors are float32: " + io);
        long[] shape = new long[io.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = io.get("shape").get(i).asLong();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(DIR.resolve(io.get("file").asText()))).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
            return NdArray.ofFloats(v, shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
