package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.io.idx.MnistData;
import picocli.CommandLine;

/**
 * Issue 16, item 5: every command leaves its input files as they were. The inputs (models, external data, an
 * element file, an MNIST folder) sit in one folder whose files' SHA-256 are compared before and after each command,
 * which must also add nothing there. The list of commands is taken from the command line itself, so a new command
 * fails this test until it is listed here, either with a run that reads user files or as one that reads none.
 */
class InputsUnchangedTest {
    @TempDir
    static Path tmp;

    /** Commands that read no user file (bundled data and models only), with what they read instead. */
    static final Map<String, String> READS_NO_USER_FILE = Map.of(
            "demo", "the bundled model and digits",
            "help", "nothing",
            "experiment flatness", "trains its own MLPs on the bundled digits",
            "experiment teleport-training", "trains its own MLPs on the bundled digits",
            "sweep teleport-training", "trains its own MLPs on the bundled digits",
            "experiment symmetry-teleport", "trains its own MLPs and CNNs on the bundled digits",
            "experiment ode-gauge", "trains its own neural ODEs on generated data",
            "experiment quantization", "the bundled MLP and digits, and nets it trains on them",
            "hyperbolic-train", "the bundled digits",
            "experiment mode-connectivity", "trains its own MLPs and CNNs on the bundled digits");

    @Test
    void everyCommandLeavesItsInputsAlone() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.copy(Path.of("src/main/resources/models/mnist_mlp.onnx"), in.resolve("mlp.onnx"));
        Files.copy(Path.of("src/test/resources/fixtures/external_data.onnx"), in.resolve("external_data.onnx"));
        Files.copy(Path.of("src/test/resources/fixtures/external_data.weights"), in.resolve("external_data.weights"));
        Files.copy(Path.of("src/test/resources/fixtures/decoder_rmsnorm.onnx"), in.resolve("decoder.onnx"));
        Path digits = Files.createDirectories(in.resolve("digits"));
        writeIdx(digits, "train", MnistData.bundled(MnistData.Split.TRAIN).head(200));
        writeIdx(digits, "t10k", MnistData.bundled(MnistData.Split.TEST).head(100));
        assertEquals(ExitCodes.OK, CliRun.of("teleport", in + "/mlp.onnx", "-o", out + "/seed.onnx", "--no-verify",
                "--save-element", out + "/element.json").exitCode());
        Files.copy(out.resolve("element.json"), in.resolve("element.json"));
        Files.write(in.resolve("key.bin"), "a secret key of thirty-two bytes".getBytes());
        Files.writeString(in.resolve("ids.txt"), "alice\nbob\n");

        String m = in + "/mlp.onnx";
        Map<String, List<String[]>> runs = new LinkedHashMap<>();
        runs.put("inspect", l(a("inspect", m), a("inspect", in + "/external_data.onnx")));
        runs.put("verify", l(a("verify", m, "--data", digits.toString(), "--samples", "50"),
                a("verify", in + "/external_data.onnx", in + "/external_data.onnx")));
        runs.put("symmetries", l(a("symmetries", m, "--json")));
        runs.put("teleport", l(a("teleport", m, "-o", out + "/t.onnx", "--data", digits.toString(), "--samples", "20"),
                a("teleport", in + "/external_data.onnx", "-o", out + "/t2.onnx")));
        runs.put("permute", l(a("permute", m, "-o", out + "/p.onnx")));
        runs.put("apply", l(a("apply", m, in + "/element.json", "-o", out + "/a.onnx")));
        runs.put("canonical", l(a("canonical", m, "-o", out + "/canon.onnx")));
        runs.put("same", l(a("same", m, m, "-o", out + "/g.json")));
        runs.put("align", l(a("align", m, m, "-o", out + "/aligned.onnx", "--method", "activations", "--train-data", digits.toString(),
                "--train-samples", "50")));
        runs.put("merge", l(a("merge", m, m, "-o", out + "/merged.onnx", "--repair", "--train-data", digits.toString(), "--train-samples", "50")));
        runs.put("fingerprint", l(a("fingerprint", m, "--copies", "1"), a("fingerprint", "--compare", m, in + "/external_data.onnx")));
        runs.put("scan", l(a("scan", in.toString(), "-o", out + "/scan", "--threads", "2")));
        runs.put("license", l(a("license", m, "--key", in + "/key.bin", "--id", "alice", "-o", out + "/lic.onnx")));
        runs.put("trace", l(a("trace", m, m, "--key", in + "/key.bin", "--ids", in + "/ids.txt")));
        runs.put("train", l(a("train", "--arch", "mlp:784-16-10:relu", "--epochs", "1", "--data", digits.toString(),
                "--quiet", "-o", out + "/trained.onnx")));
        runs.put("rotate", l(a("rotate", in + "/decoder.onnx", "-o", out + "/r.onnx", "--calibration", "4", "--candidates", "1")));
        runs.put("quantize", l(a("quantize", m, "-o", out + "/q.onnx", "--data", digits.toString(), "--samples", "40")));
        runs.put("spectrum", l(a("spectrum", m, "--json")));
        runs.put("jacobian", l(a("jacobian", "--model", m, "--points", "2", "-o", out + "/jac")));
        runs.put("kernel", l(a("kernel", "--arch", "mlp:784-10-10:relu", "--data", digits.toString(), "--train", "40",
                "--test", "20", "--depth", "1", "--nngp", "--json")));
        runs.put("experiment level-curves", l(a("experiment", "level-curves", "--quick", "--teleports", "2", "--model", m,
                "-o", out + "/lc")));
        runs.put("experiment micro-teleport", l(a("experiment", "micro-teleport", "--quick", "--model", m, "-o", out + "/mt")));
        runs.put("experiment gradient-scaling", l(a("experiment", "gradient-scaling", "--quick", "--model", m, "-o", out + "/gs")));
        // a plain MLP is refused by the hyperbolic commands (exit 3): the refusal still reads the file
        runs.put("hyperbolic-orbit", l(a("hyperbolic-orbit", m, "-n", "1", "--no-models", "-o", out + "/ho")));
        runs.put("hyperbolic-ensemble", l(a("hyperbolic-ensemble", "--model", m, "--quick", "-o", out + "/he")));

        var listed = new TreeSet<String>(runs.keySet());
        listed.addAll(READS_NO_USER_FILE.keySet());
        assertEquals(new TreeSet<>(leafCommands(OrbitCommand.commandLine(), "")), listed,
                "every command is either run here on user files or listed as reading none");

        Map<Path, String> before = hashes(in);
        List<String> report = new ArrayList<>();
        for (var e : runs.entrySet()) {
            for (String[] args : e.getValue()) {
                var r = CliRun.of(args);
                assertNotEquals(ExitCodes.INTERNAL, r.exitCode(), String.join(" ", args) + ": " + r.err());
                assertEquals(before, hashes(in), "'orbit " + String.join(" ", args) + "' changed or added an input file");
                report.add(e.getKey() + " → exit " + r.exitCode());
            }
        }
        System.out.println("INPUTS-UNCHANGED " + before.size() + " input files, " + report);
    }

    private static String[] a(String... args) { return args; }

    private static List<String[]> l(String[]... runs) { return List.of(runs); }

    /** Leaf commands as "name" or "parent name", without the root. */
    static List<String> leafCommands(CommandLine cl, String prefix) {
        List<String> out = new ArrayList<>();
        for (var e : cl.getSubcommands().entrySet()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + " " + e.getKey();
            if (e.getValue().getSubcommands().isEmpty()) out.add(name);
            else out.addAll(leafCommands(e.getValue(), name));
        }
        return out;
    }

    static Map<Path, String> hashes(Path dir) throws IOException {
        Map<Path, String> h = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                try {
                    h.put(dir.relativize(p), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return h;
    }

    /** Writes digits back as IDX: pixels (scaled by 1/255 on reading) and labels, uncompressed. */
    static void writeIdx(Path dir, String prefix, MnistData d) throws IOException {
        try (var img = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")));
             var lab = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            img.writeInt(0x0803);
            img.writeInt(d.size());
            img.writeInt(28);
            img.writeInt(28);
            float[] x = d.images().toFloatArray();
            for (float v : x) img.writeByte(Math.round(v * 255));
            lab.writeInt(0x0801);
            lab.writeInt(d.size());
            for (long y : d.labels()) lab.writeByte((int) y);
        }
        assertTrue(Files.size(dir.resolve(prefix + "-images-idx3-ubyte")) > 16);
    }
}
