package dev.orbit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Inputs;
import dev.orbit.ModelSummary;
import dev.orbit.Moved;
import dev.orbit.Moves;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.Symmetries;
import dev.orbit.io.AtomicFiles;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.Json;
import dev.orbit.symmetry.Sampling;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on the bundled default: Orbit's MNIST classifier and digits. Imports the model, runs it in
 * Orbit's evaluator and in ONNX Runtime, checks they agree, proves that export is faithful, finds the
 * model's symmetries, teleports it far along its orbit and proves the move in ONNX Runtime.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Orbit on its bundled MNIST classifier and digits (no arguments needed).")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Also write the exported model and report.json here.")
    Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Network model = Orbit.bundledModel();
        var summary = ModelSummary.of("bundled " + Orbit.BUNDLED_MODEL_RESOURCE, model.ir());
        out.println("Orbit demo — bundled MNIST classifier");
        out.print(summary.toText().lines().filter(l -> !l.startsWith("  ")).map(l -> l + "\n").reduce("", String::concat));

        MnistData test = MnistData.bundled(MnistData.Split.TEST);
        Map<String, NdArray> feeds = Map.of(model.ir().graph().inputs().getFirst().name(), test.images());
        String outName = model.ir().graph().outputs().getFirst().name();

        long t0 = System.nanoTime();
        NdArray orbitLogits = model.run(feeds).get(outName);
        long t1 = System.nanoTime();
        NdArray ortLogits = model.runInOnnxRuntime(feeds).get(outName);
        long t2 = System.nanoTime();
        out.printf("%ntest digits         %d (bundled, held out)%n", test.size());
        out.printf("accuracy (Orbit)    %.4f   [%.0f ms]%n", accuracy(orbitLogits, test.labels()), (t1 - t0) / 1e6);
        out.printf("accuracy (ORT)      %.4f   [%.0f ms incl. session start]%n", accuracy(ortLogits, test.labels()), (t2 - t1) / 1e6);

        Inputs digits = Inputs.of(feeds, "bundled MNIST test digits (" + test.size() + ")");
        VerifyReport evaluator = model.named("mnist_mlp").verify(digits, Tolerance.EVALUATOR);
        out.printf("Orbit vs ORT        max rel error %.2e, max abs error %.2e, argmax agreement %.2f%% (tolerance %.0e) %s%n",
                evaluator.worstRelError(), evaluator.worstAbsError(), 100 * evaluator.outputs().getFirst().argmaxAgreement(),
                evaluator.tolerance(), evaluator.passed() ? "PASS" : "FAIL");

        Network roundTrip = Orbit.load(model.toOnnx(), "exported model");
        VerifyReport export = model.named("original").compareWith(roundTrip.named("re-exported"), digits, Tolerance.EXPORT);
        out.printf("export round trip   max abs error %.1e in ONNX Runtime (must be 0) %s%n",
                export.worstAbsError(), export.passed() ? "PASS" : "FAIL");

        // move the model along its orbit (inter-landscape CoB, r = 0.9, plus permutations) and prove it
        Moved teleported = model.move(Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(1));
        VerifyReport orbitMove = model.named("original").compareWith(teleported.network().named("teleported"), digits, Tolerance.MOVE);
        Symmetries analysis = teleported.analysis();
        out.printf("symmetries          %d neuron spaces, %d free: %s%n", analysis.spaces().size(), analysis.freeSpaces().size(),
                analysis.freeSpaces().stream().map(sp -> sp.size() + " (" + sp.scaling().name().toLowerCase() + " scaling"
                        + (sp.permutable() ? ", permutable)" : ")")).toList());
        out.printf("teleport r=0.9      weights moved %.0f%% (mean|V-W|/mean|W|), outputs max rel error %.2e, "
                        + "accuracy %.4f, argmax agreement %.2f%% %s%n",
                100 * teleported.weightChange(), orbitMove.worstRelError(),
                accuracy(teleported.network().run(feeds).get(outName), test.labels()),
                100 * orbitMove.outputs().getFirst().argmaxAgreement(), orbitMove.passed() ? "PASS" : "FAIL");

        if (output != null) {
            OutputPaths.folder(output);
            model.save(output.resolve("mnist_mlp.onnx"));
            teleported.save(output.resolve("mnist_mlp.teleported.onnx"));
            teleported.saveElement(output.resolve("teleport.element.json"));
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

    static double accuracy(NdArray logits, long[] labels) {
        return dev.orbit.numeric.Classification.accuracy(logits.toDoubleArray(), (int) logits.dim(1), labels);
    }
}
