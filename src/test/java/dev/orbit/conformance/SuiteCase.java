package dev.orbit.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import ai.onnx.proto.OnnxMl;

/**
 * One test of the ONNX backend suite shipped by Debian's {@code libonnx-testdata} (ONNX 1.12): a folder with a
 * {@code model.onnx} and {@code test_data_set_N/input_K.pb, output_K.pb}. The category is the folder above it
 * (node, pytorch-converted, pytorch-operator, simple; "real" holds only download links and is skipped).
 */
record SuiteCase(String category, String name, Path dir) {
    static final Path DEBIAN_ROOT = Path.of("/usr/share/libonnx-testdata/data");

    /** The suite's data folder: {@code ORBIT_ONNX_TESTDATA} if set, else Debian's location; empty when absent. */
    static Optional<Path> locateRoot() {
        String env = System.getenv("ORBIT_ONNX_TESTDATA");
        Path root = env != null && !env.isBlank() ? Path.of(env) : DEBIAN_ROOT;
        return Files.isDirectory(root.resolve("node")) ? Optional.of(root) : Optional.empty();
    }

    /** Every test with a model, ordered by category, then name. */
    static List<SuiteCase> all(Path root) {
        List<SuiteCase> cases = new ArrayList<>();
        try (Stream<Path> categories = Files.list(root)) {
            for (Path cat : categories.filter(Files::isDirectory).toList()) {
                try (Stream<Path> tests = Files.list(cat)) {
                    tests.filter(t -> Files.isRegularFile(t.resolve("model.onnx")))
                            .forEach(t -> cases.add(new SuiteCase(cat.getFileName().toString(), t.getFileName().toString(), t)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cases.sort(Comparator.comparing(SuiteCase::category).thenComparing(SuiteCase::name));
        return cases;
    }

    Path model() { return dir.resolve("model.onnx"); }

    OnnxMl.ModelProto modelProto() throws IOException {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model()));
    }

    /** One test_data_set: inputs fed to graph.input[k] by position, outputs expected at graph.output[k]. */
    record DataSet(String name, List<String> inputNames, List<SuiteValue> inputs, List<String> outputNames,
                   List<SuiteValue> outputs) {}

    List<DataSet> dataSets(OnnxMl.ModelProto model) throws IOException {
        List<DataSet> sets = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dir)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith("test_data_set")).sorted().toList();
        }
        var g = model.getGraph();
        for (Path d : dirs) {
            List<String> inNames = new ArrayList<>();
            List<SuiteValue> ins = new ArrayList<>();
            for (int k = 0; Files.exists(d.resolve("input_" + k + ".pb")); k++) {
                inNames.add(g.getInput(k).getName());
                ins.add(bfloat16Quirk(SuiteValue.read(d.resolve("input_" + k + ".pb"), g.getInput(k).getType()), g.getInput(k)));
            }
            List<String> outNames = new ArrayList<>();
            List<SuiteValue> outs = new ArrayList<>();
            for (int k = 0; Files.exists(d.resolve("output_" + k + ".pb")); k++) {
                outNames.add(g.getOutput(k).getName());
                outs.add(bfloat16Quirk(SuiteValue.read(d.resolve("output_" + k + ".pb"), g.getOutput(k).getType()), g.getOutput(k)));
            }
            sets.add(new DataSet(d.getFileName().toString(), inNames, ins, outNames, outs));
        }
        return sets;
    }

    /**
     * ONNX 1.12 wrote bfloat16 test data as uint16 bit patterns (numpy has no bfloat16); where the model declares
     * bfloat16 and the file says uint16, the bits are read as the bfloat16 they are. Eight cast tests need it.
     */
    private static SuiteValue bfloat16Quirk(SuiteValue v, OnnxMl.ValueInfoProto declared) {
        if (v instanceof SuiteValue.Tensor(OnnxMl.TensorProto t) && t.getDataType() == ElementType.UINT16
                && declared.getType().getTensorType().getElemType() == ElementType.BFLOAT16) {
            return new SuiteValue.Tensor(t.toBuilder().setDataType(ElementType.BFLOAT16).build());
        }
        return v;
    }

    @Override
    public String toString() { return category + "/" + name; }
}
