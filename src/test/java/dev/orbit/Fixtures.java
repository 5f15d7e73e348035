package dev.orbit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.tensor.NdArray;

/** The PyTorch-exported and hand-written fixture zoo under src/test/resources/fixtures (see scripts/README.md). */
public final class Fixtures {
    public static final Path DIR = Path.of("src/test/resources/fixtures");

    private Fixtures() {}

    public record Fixture(String name, Path onnx, long[] inputShape, NdArray input, NdArray expectedOutput) {
        public Model load() { return OnnxImporter.read(onnx); }

        @Override public String toString() { return name; }
    }

    /** Every fixture with a .json description. */
    public static List<Fixture> all() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().map(Fixtures::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fixtures that ONNX Runtime and Orbit can both run: all but the unknown-op one and those whose .json says
     * "orbit_pending" (control flow Orbit cannot evaluate yet, issue 14).
     */
    public static List<Fixture> runnable() {
        return all().stream().filter(f -> !f.name().equals("unknown_op") && !pending(f.name())).toList();
    }

    private static boolean pending(String name) {
        try {
            return new ObjectMapper().readTree(DIR.resolve(name + ".json").toFile()).has("orbit_pending");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Fixture get(String name) { return load(DIR.resolve(name + ".json")); }

    private static Fixture load(Path json) {
        try {
            String name = json.getFileName().toString().replaceFirst("\\.json$", "");
            JsonNode meta = new ObjectMapper().readTree(json.toFile());
            long[] shape = new long[meta.get("input_shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = meta.get("input_shape").get(i).asLong();
            NdArray input = floats(DIR.resolve(name + ".input.bin"), shape);
            Path out = DIR.resolve(name + ".output.bin");
            NdArray expected = Files.exists(out) ? floats(out, new long[] {Files.size(out) / 4}) : null;
            return new Fixture(name, DIR.resolve(name + ".onnx"), shape, input, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NdArray floats(Path file, long[] shape) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return NdArray.ofFloats(v, shape);
    }
}
