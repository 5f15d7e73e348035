package dev.orbit.examples;

import static dev.orbit.symmetry.Sampling.Kind.INTER;

import java.nio.file.Path;

import dev.orbit.Inputs;
import dev.orbit.Moves;
import dev.orbit.Orbit;

/**
 * Orbit's front door on its bundled MNIST classifier: list the symmetries, teleport far along the orbit, prove the
 * move in ONNX Runtime, save the moved model and its group element. The five lines after the first are the README's
 * "Java" section, word for word. Runs in the working directory (the pom sets it to target/).
 */
public final class FrontDoor {
    private FrontDoor() {}

    public static void main(String[] args) {
        Orbit.bundledModel().save(Path.of("m.onnx"));                        // the bundled classifier, as a file to start from

        var model = Orbit.load(Path.of("m.onnx"));
        System.out.println(model.symmetries());                               // every neuron space and the group on it
        var moved = model.move(Moves.teleport(INTER, 0.9).permute().seed(1)); // also .attention(κ), .rotateResidual(HAAR)
        var report = moved.verify(Inputs.random(16));                        // ONNX Runtime, original vs moved, Tolerance.MOVE
        moved.save(Path.of("out.onnx"));  moved.saveElement(Path.of("out.element.json"));

        System.out.printf("weights moved %.0f%% (mean|V-W|/mean|W|)%n", 100 * moved.weightChange());
        System.out.print(report.toText());
        System.exit(report.passedAndFinite() ? 0 : 1);
    }
}
