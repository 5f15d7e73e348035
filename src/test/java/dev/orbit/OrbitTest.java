package dev.orbit;

import static dev.orbit.symmetry.Sampling.Kind.INTER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.Tolerance;

/** The front door as a Java user meets it: the five-line flow, its values, its refusals. */
class OrbitTest {
    static final Path TANH = Path.of("src/test/resources/fixtures/mlp_tanh.onnx");
    static final Path ATTENTION = Path.of("src/test/resources/fixtures/relu_attention.onnx");

    @TempDir
    Path tmp;

    @Test
    void teleportVerifySaveAndUndoOnTheBundledModel() {
        var model = Orbit.bundledModel();
        assertEquals(3, model.symmetries().spaces().size(), model.symmetries().toString());
        assertEquals(2, model.symmetries().freeSpaces().size(), "784-128-64-10: the two hidden layers are free");
        var moved = model.move(Moves.teleport(INTER, 0.9).permute().seed(1));
        var report = moved.verify(Inputs.random(16));
        assertTrue(report.passedAndFinite(), report.toText());
        assertEquals(Tolerance.MOVE.maxRelativeError(), report.tolerance());
        assertTrue(report.worstRelError() > 0 && report.worstRelError() < 1e-5, "float32 rounding, not zero: " + report.worstRelError());
        assertTrue(moved.weightChange() > 0.5, "r = 0.9 inter moves the weights far: " + moved.weightChange());
        assertSame(model, moved.original());
        assertTrue(moved.description().startsWith("teleported bundled mnist_mlp.onnx: 2 of 3 spaces scaled (inter, r = 0.9, seed 1)"),
                moved.description());

        Path out = tmp.resolve("out.onnx");
        Path element = tmp.resolve("out.element.json");
        moved.save(out);
        moved.saveElement(element);
        var back = Orbit.load(out).move(Moves.apply(element).inverse());
        var same = model.compareWith(back.network(), Inputs.bundledDigits(200), new Tolerance(1e-6));
        assertTrue(same.passedAndFinite(), "undo restores the function: " + same.toText());
        assertEquals(1.0, same.outputs().getFirst().argmaxAgreement());
    }

    @Test
    void theElementIsAValueThatSavesLoadsAndInverts() throws Exception {
        var model = Orbit.load(TANH);
        var moved = model.move(Moves.teleport().seed(4));
        Path f = tmp.resolve("e.json");
        moved.element().save(f);
        assertEquals(moved.element().toJson() + "\n", Files.readString(f));
        var replayed = model.move(Moves.apply(Element.read(f, model)));
        assertEquals(0.0, moved.network().compareWith(replayed.network(), Inputs.random(8), Tolerance.EXPORT).worstAbsError(),
                "replaying a saved element gives the same model");
        var undone = moved.network().move(Moves.apply(moved.element().inverse()));
        assertTrue(model.compareWith(undone.network(), Inputs.random(8), new Tolerance(1e-6)).passedAndFinite());
        assertThrows(ModelFormatException.class, () -> Element.read(f, Orbit.load(ATTENTION)), "made for another model");
    }

    @Test
    void movesTheModelDoesNotAllowAreRefusedWithTheirPart() {
        var tanh = Orbit.load(TANH);
        var e = assertThrows(MoveException.class, () -> tanh.move(Moves.teleport().attention(10)));
        assertEquals(MoveException.Part.ATTENTION, e.part());
        var r = assertThrows(MoveException.class, () -> tanh.move(Moves.teleport().rotateResidual(MatrixSampling.Rotation.HAAR)));
        assertEquals(MoveException.Part.RESIDUAL_STREAM, r.part());
        assertThrows(IllegalArgumentException.class, () -> Moves.teleport(dev.orbit.symmetry.Sampling.Kind.INTRA, 1.5), "intra needs r < 1");
        assertThrows(IllegalArgumentException.class, () -> Moves.teleport().attention(0.5), "condition number below 1");
        var att = Orbit.load(ATTENTION).move(Moves.teleport().attention(10).seed(2));
        assertTrue(att.facts().containsKey("attention_condition_number"), att.facts().toString());
        assertTrue(att.verify(Inputs.random(4)).passedAndFinite());
    }

    @Test
    void inputsDescribeThemselvesAndTakeShapes() {
        var model = Orbit.bundledModel();
        var random = Inputs.random(5).distribution(InputSpec.Distribution.UNIFORM).seed(3).shape("input", 5, 784);
        var feeds = random.feeds(model);
        assertArrayEquals(new long[] {5, 784}, feeds.values().iterator().next().shape());
        assertEquals("5 random samples, U[-1,1], seed 3", random.describe());
        assertArrayEquals(new long[] {7, 784}, Inputs.bundledDigits(7).feeds(model).values().iterator().next().shape());
        assertEquals("bundled MNIST test digits (first 7)", Inputs.bundledDigits(7).describe());
        var given = Inputs.of(feeds, "five uniform samples");
        assertSame(feeds.values().iterator().next(), given.feeds(model).values().iterator().next());
        assertTrue(model.verify(given).passedAndFinite(), "Orbit's evaluator agrees with ONNX Runtime");
    }

    @Test
    void toleranceConstantsAreTheLibrarysNumbers() {
        assertEquals(1e-4, Tolerance.MOVE.maxRelativeError());
        assertEquals(1e-5, Tolerance.EVALUATOR.maxRelativeError());
        assertEquals(0, Tolerance.EXPORT.maxRelativeError());
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(Double.NaN));
    }

    @Test
    void symmetriesReadAsTextAndJson() {
        var s = Orbit.load(TANH).symmetries();
        assertTrue(s.toString().contains("neuron spaces") && s.toString().contains("activations rewritten"), s.toString());
        assertTrue(s.toJson().contains("\"spaces\""));
        assertFalse(s.freeSpaces().isEmpty());
        assertTrue(s.attentionPairs().isEmpty() && s.residualStreams().isEmpty() && s.lengthProductLayers().isEmpty());
    }
}
