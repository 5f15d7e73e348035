package dev.orbit.fuzz;

import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.orbit.cli.TypedErrors;
import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueType;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.EvaluationBudget;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;

/**
 * Fuzz target: ONNX bytes → import → shape inference → symmetry analysis → export round trip → a budgeted
 * evaluation of the model and of a teleported copy. Every failure must be one the command line reports as a
 * user error (exit 3 or 6); anything else (exit 70, an Error, a JVM crash in native code, a hang) is a finding.
 * Seeds: the small fixtures (src/test/resources/dev/orbit/fuzz/OnnxPipelineFuzzTestInputs); findings are committed
 * beside them and rerun by every ./run-tests.
 */
class OnnxPipelineFuzzTest {
    /** Jazzer's standalone driver calls this before fuzzing; JUnit runs it through the class initializer. */
    public static void fuzzerInitialize() { }

    static {
        FuzzSetup.warmUp(OnnxPipelineFuzzTest::fuzzerTestOneInput, "src/test/resources/fixtures/external_data.onnx");
    }

    @FuzzTest(maxDuration = "15s")
    void onnxPipeline(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** Entry point of the standalone Jazzer driver (scripts/fuzz-campaign.sh). */
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzSetup.LIMITS.runWith(() -> {
            run(data);
            return null;
        });
    }

    private static void run(byte[] data) {
        Model model;
        try {
            model = OnnxImporter.read(data, FuzzSetup.MODEL_FOLDER, "fuzz.onnx");
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
            return;
        }
        try {
            ShapeInference.infer(model);
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
        try {
            OnnxImporter.read(OnnxExporter.toBytes(model), null, "re-exported");
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
        SymmetryAnalysis analysis = null;
        try {
            analysis = SpaceAnalyzer.analyze(model);
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
        try {
            Map<String, NdArray> feeds = InputFactory.make(model, new InputSpec.Random(2, InputSpec.Distribution.NORMAL, 0), Map.of());
            if (!withinBudget(model, feeds)) return;
            new Evaluator(model).run(feeds);
            if (analysis == null) return;
            GroupElement g = Sampling.both(analysis, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), 1);
            Model moved = OrbitAction.apply(model, analysis, g);
            if (withinBudget(moved, feeds)) new Evaluator(moved).run(feeds);
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
    }

    /** Evaluate only models whose every value has a known shape within the budget: no input may run for long. */
    private static boolean withinBudget(Model model, Map<String, NdArray> feeds) {
        if (EvaluationBudget.check(model, feeds, FuzzSetup.EVALUATION_BYTES) < 0) return false;
        Map<String, dev.orbit.graph.Shape> shapes = new java.util.HashMap<>();
        feeds.forEach((k, v) -> shapes.put(k, dev.orbit.graph.Shape.of(v.shape())));
        for (ValueType t : ShapeInference.infer(model, shapes).values()) {
            if (t == null || t.shape() == null || !t.shape().isFullyKnown()) return false;
        }
        return true;
    }
}
