package dev.orbit.examples;

import static dev.orbit.symmetry.Sampling.Kind.INTER;

import java.nio.file.Path;

import dev.orbit.Inputs;
import dev.orbit.Moves;
import dev.orbit.Orbit;

/**
 * Orbit's front door on its bundled MNIST classifier: list the symmetries, teleport far along the orbit, prove the
 * move in ONNX Runtime, save the moved model and its group element. The five lines in the middle are the README's
 * "Java" section. Argument: the folder to write into (default: the working directory).
 */
public final class FrontDoor {
    private FrontDoor() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Path model = dir.resolve("mnist_mlp.onnx");
        Orbit.bundledModel().save(model);

        var m = Orbit.load(model);
        System.out.println(m.symmetries());                                  // every neuron space and the group on it
        var moved = m.move(Moves.teleport(INTER, 0.9).permute().seed(1));    // also .attention(κ), .rotateResidual(…)
        var report = moved.verify(Inputs.random(16));                       // ONNX Runtime, original vs moved
        moved.save(dir.resolve("out.onnx"));  moved.saveElement(dir.resolve("out.element.json"));

        System.out.printf("weights moved %.0f%% (mean|V-W|/mean|W|)%n", 100 * moved.weightChange());
        System.out.print(report.toText());
        System.exit(report.passedAndFinite() ? 0 : 1);
    }
}
