package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.Network;
import dev.orbit.Orbit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "align", mixinStandardHelpOptions = true,
        description = {"Move B along its orbit toward A (git re-basin's weight or activation matching, for any graph Orbit analyses:",
                "both at their balanced points, permutation classes matched jointly, attention heads by balancing + Procrustes).",
                "The result computes B's function; it is verified against B in ONNX Runtime (noise rule) before it is written.",
                "Exit 0: written; 1: the aligned model differs from B in ONNX Runtime (nothing written); 3: the weights of A and B do not pair up."})
final class AlignCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "The model to align to (ONNX).")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The model to move (ONNX; same architecture as A, names may differ).")
    Path b;

    @Mixin
    MoveOptions move;

    @Mixin
    AlignmentOptions alignment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        alignment.parsedMethod();
        OutputPaths.checkNotInput(move.output, a);
        Network mb = move.load(b);
        Network ma = Orbit.load(a);
        return move.finish(spec, mb.alignTo(ma, alignment.options(mb)));
    }
}
