package dev.orbit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.io.AtomicFiles;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * The main job on the bundled default: Orbit's MNIST classifier and digits. Imports the model, runs it in
 * Orbit's evaluator and in ONNX Runtime, checks they agree, proves that export is faithful, finds the
 * model's symmetries, teleports it far along its orbit and proves the move in ONNX Runtime.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Orbit on its bundled MNIST classifier and digits (no arguments needed).")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    static final String MODEL_RESOURCE = "/models/mnist_mlp.onnx";

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Also write the exported model and report.json here.")
    Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Model model = bundledModel();
        var summary = ModelSummary.of("bundled " + MODEL_RESOURCE, model);
        out.println("Orbit demo — bundled MNIST classifier");
        out.print(summary.toText().lines().filter(l -> !l.startsWith("  ")).map(l -> l + "\n").reduce("", String::concat));

        MnistData test = MnistData.bundled(MnistData.Split.TEST);
        Map<String, NdArray> feeds = Map.of(model.graph().inputs().getFirst().name(), test.images());
        String outName = model.graph().outputs().getFirst().name();

        long t0 = System.nanoTime();
        NdArray orbitLogits = new Evaluator(model).run(feeds).get(outName);
        long t1 = System.nanoTime();
        NdArray ortLogits;
        try (OrtRunner ort = new OrtRunner(model)) {
            ortLogits = ort.run(feeds).get(outName);
        }
        long t2 = System.nanoTime();
        out.printf("%ntest digits         %d (bundled, held out)%n", test.size());
        out.printf("accuracy (Orbit)    %.4f   [%.0f ms]%n", accuracy(orbitLogits, test.labels()), (t1 - t0) / 1e6);
        out.printf("accuracy (ORT)      %.4f   [%.0f ms incl. session start]%n", accuracy(ortLogits, test.labels()), (t2 - t1) / 1e6);

        String inputs = "bundled MNIST test digits (" + test.size() + ")";
        VerifyReport evaluator = Verifier.evaluatorVsOrt(model, "mnist_mlp", feeds, inputs, Verifier.DEFAULT_TOLERANCE);
        out.printf("Orbit vs ORT        max rel error %.2e, max abs error %.2e, argmax agreement %.2f%% (tolerance %.0e) %s%n",
                evaluator.worstRelError(), evaluator.worstAbsError(), 100 * evaluator.outputs().getFirst().argmaxAgreement(),
                evaluator.tolerance(), evaluator.passed() ? "PASS" : "FAIL");

        Model roundTrip = OnnxImporter.read(OnnxExporter.toBytes(model), null, "exported model");
        VerifyReport export = Verifier.compareInOrt(model, "original", roundTrip, "re-exported", feeds, inputs, 0.0);
        out.printf("export round trip   max abs error %.1e in ONNX Runtime (must be 0) %s%n",
                export.worstAbsError(), export.passed() ? "PASS" : "FAIL");

        // move the model along its orbit (inter-landscape CoB, r = 0.9, plus permutations) and prove it
        var analysis = dev.orbit.symmetry.SpaceAnalyzer.analyze(model);
        var element = dev.orbit.symmetry.Sampling.both(analysis,
                new dev.orbit.symmetry.Sampling.Cob(dev.orbit.symmetry.Sampling.Kind.INTER, 0.9, 0), 1);
        Model teleported = dev.orbit.symmetry.OrbitAction.apply(model, analysis, element);
        VerifyReport orbitMove = Verifier.compareInOrt(model, "original", teleported, "teleported", feeds, inputs,
                MoveOptions.DEFAULT_MOVE_TOLERANCE);
        out.printf("symmetries          %d neuron spaces, %d free: %s%n", analysis.spaces().size(), analysis.freeSpaces().size(),
                analysis.freeSpaces().stream().map(sp -> sp.size() + " (" + sp.scaling().name().toLowerCase() + " scaling"
                        + (sp.permutable() ? ", permutable)" : ")")).toList());
        out.printf("teleport r=0.9      weights moved %.0f%% (mean|V-W|/mean|W|), outputs max rel error %.2e, "
                        + "accuracy %.4f, argmax agreement %.2f%% %s%n",
                100 * dev.orbit.verify.WeightChange.relative(model, teleported), orbitMove.worstRelError(),
                accuracy(new Evaluator(teleported).run(feeds).get(outName), test.labels()),
                100 * orbitMove.outputs().getFirst().argmaxAgreement(), orbitMove.passed() ? "PASS" : "FAIL");

        if (output != null) {
            try {
                Files.createDirectories(output);
            } catch (IOException e) {
                throw new AtomicFiles.OutputException("cannot create output folder '" + output + "': " + e.getMessage());
            }
            OnnxExporter.write(model, output.resolve("mnist_mlp.onnx"));
            OnnxExporter.write(teleported, output.resolve("mnist_mlp.teleported.onnx"));
            dev.orbit.symmetry.ElementFile.write(output.resolve("teleport.element.json"), element, analysis);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", summary);
            report.put("evaluator_vs_onnxruntime", evaluator);
            report.put("export_round_trip", export);
            report.put("teleport", orbitMove);
            AtomicFiles.writeString(output.resolve("report.json"), Json.write(report) + "\n");
            out.println("wrote               " + output + "/{mnist_mlp.onnx, mnist_mlp.teleported.onnx, teleport.element.json, report.json}");
        }
        out.flush();
        return evaluator.passed() && export.passed() && orbitMove.passed() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    static Model bundledModel() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null) throw new IllegalStateException("bundled model " + MODEL_RESOURCE + " is missing from the jar");
            return OnnxImporter.read(in.readAllBytes(), null, "bundled mnist_mlp.onnx");
        }
    }

    static double accuracy(NdArray logits, long[] labels) {
        return dev.orbit.numeric.Classification.accuracy(logits.toDoubleArray(), (int) logits.dim(1), labels);
    }
}
