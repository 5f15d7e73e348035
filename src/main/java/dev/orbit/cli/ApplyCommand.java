package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.symmetry.ElementFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Replay a saved group element on a model, or undo it with --inverse (apply the inverse to the",
                "moved model: weights return to the original within float32 rounding and rewrite Muls disappear)."})
final class ApplyCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Parameters(index = "1", paramLabel = "ELEMENT", description = "A JSON element written by --save-element.")
    Path element;

    @Option(names = "--inverse", description = "Apply the inverse element (undo).")
    boolean inverse;

    @Mixin
    MoveOptions move;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return move.move(spec, model, a -> inverse ? ElementFile.read(element, a).inverse(a) : ElementFile.read(element, a),
                (a, g) -> String.format("applied %s%s to %s", inverse ? "the inverse of " : "", element, model));
    }
}
