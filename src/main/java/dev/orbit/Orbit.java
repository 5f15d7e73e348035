package dev.orbit;

import java.nio.file.Path;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.BundledModel;
import dev.orbit.io.onnx.OnnxImporter;

/**
 * Orbit's front door: load a model, list its symmetries, move it along its orbit, prove the move in ONNX Runtime,
 * save the moved model and the group element.
 *
 * <pre>{@code
 * var model = Orbit.load(Path.of("m.onnx"));
 * System.out.print(model.symmetries());                       // every neuron space and the group acting on it
 * var moved = model.move(Moves.teleport(INTER, 0.9).permute().seed(1));
 * var report = moved.verify(Inputs.random(16));              // ONNX Runtime, original vs moved, Tolerance.MOVE
 * if (report.passedAndFinite()) { moved.save(Path.of("out.onnx")); moved.saveElement(Path.of("out.element.json")); }
 * }</pre>
 *
 * Errors are exceptions a caller can tell apart: {@code ModelFormatException} (unreadable or malformed files),
 * {@code ShapeException} (inputs that do not fit), {@code UnsupportedOpException} (an op Orbit cannot evaluate),
 * {@link MoveException} (a move this model does not allow), {@code AtomicFiles.OutputException} (an output that
 * cannot be written; nothing half-written is left).
 */
public final class Orbit {
    /** Where the bundled MNIST classifier lives inside the jar. */
    public static final String BUNDLED_MODEL_RESOURCE = BundledModel.RESOURCE;

    /** The label the bundled classifier carries in reports. */
    public static final String BUNDLED_MODEL_LABEL = BundledModel.LABEL;

    private Orbit() {}

    /** Reads an ONNX file (external data next to it is memory-mapped). The file's path becomes the model's label. */
    public static Network load(Path onnx) {
        return new Network(OnnxImporter.read(onnx), onnx.toString());
    }

    /**
     * The bundled MNIST classifier, an MLP 784-128-64-10 (ReLU) trained by Orbit on the bundled digits; see
     * {@link Inputs#bundledDigits(int)} for the digits it was held out on.
     */
    public static Network bundledModel() {
        return new Network(BundledModel.read(), BUNDLED_MODEL_LABEL);
    }

    /** Reads ONNX bytes (a model with external data needs {@link #load(Path)}), under a label for reports. */
    public static Network load(byte[] onnx, String label) {
        return new Network(OnnxImporter.read(onnx, null, label), label);
    }

    /** A model already in memory (built, trained or imported elsewhere), under a label for reports. */
    public static Network of(Model model, String label) {
        return new Network(model, label);
    }
}
