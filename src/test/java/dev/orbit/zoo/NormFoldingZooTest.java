package dev.orbit.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * The exact norm-folding rewrite on the zoo's transformers computes the same function (ONNX Runtime, the zoo's
 * sample input, 1e-5 relative to the output's scale, float32 re-association only) and folds the gains it should:
 * Swin's window-attention norms through the zero window Pad, the roll (Slice + Concat) and the window partition, and
 * its final norm into the head through permute(0, 3, 1, 2), the average pool and the flatten.
 */
class NormFoldingZooTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"swin_t_op17, swin_t, 10", "swin_t_op13, swin_t, 10", "vit_b_16_op17, vit_b_16, 5", "gpt2_op17, gpt2, 5",
            "llama_op17, llama, 5"})
    void foldingKeepsTheFunction(String file, String model, int atLeast) {
        Zoo.Model z = Zoo.models().stream().filter(m -> m.name().equals(model)).findFirst().orElseThrow();
        var original = OnnxImporter.read(Zoo.DIR.resolve(file + ".onnx"));
        var folded = NormFolding.fold(original);
        assertTrue(folded.foldedGains() >= atLeast, file + ": " + folded.foldedGains() + " gains folded, notes " + folded.notes());
        Map<String, NdArray> feeds = Map.of(z.inputName(), z.input());
        NdArray a;
        NdArray b;
        try (OrtRunner r = new OrtRunner(original)) {
            a = r.run(feeds).values().iterator().next();
        }
        try (OrtRunner r = new OrtRunner(folded.model())) {
            b = r.run(feeds).values().iterator().next();
        }
        var cmp = OutputComparison.of("folded", a, b);
        System.out.printf("norm folding %-16s %d gains folded, max rel error %.1e%n", file, folded.foldedGains(), cmp.maxRelError());
        assertTrue(cmp.within(1e-5), file + ": folding changed the outputs by " + cmp.maxRelError());
    }
}
