package dev.orbit.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.orbit.cli.TypedErrors;
import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.ElementFile;
import dev.orbit.symmetry.SymmetryElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;

/**
 * Fuzz target: group-element JSON → {@link ElementFile#parse} against two models (an MLP for permutations and
 * scales, an attention block for matrix parts) → what {@code orbit apply} does next: the inverse element, the
 * action, and an evaluation of the moved model. Typed errors only.
 */
class ElementFileFuzzTest {
    private record Target(Model model, SymmetryAnalysis analysis, Map<String, NdArray> feeds) {}

    private static final List<Target> TARGETS = FuzzSetup.LIMITS.runWith(() -> List.of(
            target("mlp_relu.onnx"), target("relu_attention.onnx")));

    private static Target target(String file) {
        Model m = OnnxImporter.read(FuzzSetup.fixture(file));
        return new Target(m, SpaceAnalyzer.analyze(m),
                InputFactory.make(m, new InputSpec.Random(1, InputSpec.Distribution.NORMAL, 0), Map.of()));
    }

    /** Jazzer's standalone driver calls this before fuzzing; JUnit runs it through the class initializer. */
    public static void fuzzerInitialize() { }

    static {
        FuzzSetup.warmUp(ElementFileFuzzTest::fuzzerTestOneInput, "src/test/resources/dev/orbit/fuzz/ElementFileFuzzTestInputs/elementFile/seed-mlp-relu-permute.json");
    }

    @FuzzTest(maxDuration = "15s")
    void elementFile(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        FuzzSetup.LIMITS.runWith(() -> {
            for (Target t : TARGETS) apply(t, data);
            return null;
        });
    }

    private static void apply(Target t, byte[] data) {
        try {
            SymmetryElement g = ElementFile.parse(data, Path.of("fuzz.json"), t.model(), t.analysis());
            // what --inverse computes (inverse permutations, reciprocal scales, inverse matrices)
            g.inverse(t.analysis());
            Model moved = OrbitAction.apply(t.model(), t.analysis(), g);
            new Evaluator(moved).run(t.feeds());
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
    }
}
