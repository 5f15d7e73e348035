package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.Moves;
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
        Moves.Apply apply = Moves.apply(element);
        return move.move(spec, model, inverse ? apply.inverse() : apply);
    }
}
