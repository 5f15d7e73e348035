package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.HeadScaling;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.PairTransform;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.StreamRotation;
import dev.orbit.symmetry.SymmetryAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "teleport", mixinStandardHelpOptions = true,
        description = {"Move a model to a random point of its orbit: a random change of basis on every free neuron",
                "space (and random permutations with --permute), written as plain ONNX and verified in ONNX Runtime.",
                "--attention adds per-head GL(d) on every query-key and value-output pair",
                "(condition number --condition) and per-head scaling; --rotate-residual folds",
                "norm gains (an exact rewrite) and rotates every residual stream."})
final class TeleportCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = "--cob-range", defaultValue = "0.5", paramLabel = "R", description = "Range r of the change-of-basis factors (default ${DEFAULT-VALUE}).")
    double range;

    @Option(names = "--sampling", defaultValue = "INTRA", description = "INTRA U[1-r,1+r] (default), INTER ±U[1-r,1+r], POSITIVE U[0,r], NEGATIVE U[-r,0], CENTERED U[c-r,c+r].")
    Sampling.Kind kind;

    @Option(names = "--center", defaultValue = "1", paramLabel = "C", description = "Centre c for CENTERED sampling (default ${DEFAULT-VALUE}).")
    double centre;

    @Option(names = "--permute", description = "Also permute every permutable space.")
    boolean permute;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the move (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--attention", description = "Also move attention: a random A per head on every query-key and value-output pair, and per-head scaling.")
    boolean attention;

    @Option(names = "--condition", defaultValue = "10", paramLabel = "K", description = "Condition number of every attention matrix A (default ${DEFAULT-VALUE}).")
    double condition;

    @Option(names = "--head-scale", defaultValue = "2", paramLabel = "S", description = "Per-head scaling factors within [1/S, S] (default ${DEFAULT-VALUE}).")
    double headScale;

    @Option(names = "--rotate-residual", description = "Fold norm gains into the linear maps (exact), then rotate every residual stream.")
    boolean rotateResidual;

    @Option(names = "--rotation", defaultValue = "HAAR", description = "Residual rotation: HAAR (default) or HADAMARD (randomised; width a power of two).")
    dev.orbit.symmetry.MatrixSampling.Rotation rotation;

    @Mixin
    MoveOptions move;

    /** What norm folding did (first line) and refused (one line each). */
    private final java.util.List<String> folding = new java.util.ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Sampling.Cob cob;
        try {
            cob = new Sampling.Cob(kind, range, centre);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        if (!(condition >= 1) || !Double.isFinite(condition)) throw new UserError(ExitCodes.USAGE, "--condition must be a number ≥ 1, got " + condition);
        if (!(headScale >= 1) || !Double.isFinite(headScale)) throw new UserError(ExitCodes.USAGE, "--head-scale must be a number ≥ 1, got " + headScale);
        java.util.function.UnaryOperator<Model> prepare = m -> {
            if (!rotateResidual) return m;
            NormFolding.Result r = NormFolding.fold(m);
            folding.add(String.format("%d norm gains folded, %d streams centred, %d LayerNorms made RMSNorms", r.foldedGains(),
                    r.centredStreams(), r.layerNormsReplaced()));
            folding.addAll(r.notes());
            return r.model();
        };
        return move.move(spec, model, prepare, a -> pick(a, cob), (a, g) -> describe(a, g), (a, g) -> facts(g));
    }

    private GroupElement pick(SymmetryAnalysis a, Sampling.Cob cob) {
        GroupElement g = permute ? Sampling.both(a, cob, seed) : Sampling.scales(a, cob, seed);
        if (attention) {
            if (a.pairs().isEmpty()) throw new UserError(ExitCodes.USAGE, "--attention: no attention this analysis can move was found in " + model
                    + (a.notes().isEmpty() ? "" : " (" + a.notes().getFirst() + ")"));
            g = g.withMatrices(MatrixSampling.pairs(a, condition, seed ^ 0x51ED270B27L)).withMatrices(MatrixSampling.headScalings(a, headScale, seed ^ 0x2545F491L));
        }
        if (rotateResidual) {
            if (a.rotatableStreams().isEmpty()) {
                String why = folding.size() > 1 ? folding.get(1) : a.streams().isEmpty() ? "no residual stream found" : a.streams().getFirst().reason();
                throw new UserError(ExitCodes.USAGE, "--rotate-residual: " + model + " has no residual stream that rotates exactly: " + why);
            }
            try {
                g = g.withMatrices(MatrixSampling.rotations(a, rotation, seed ^ 0x6A09E667L));
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, "--rotation " + rotation.name().toLowerCase() + ": " + e.getMessage());
            }
        }
        return g;
    }

    private String describe(SymmetryAnalysis a, GroupElement g) {
        StringBuilder b = new StringBuilder(String.format("teleported %s: %d of %d spaces scaled (%s, r = %s, seed %d)%s", model,
                g.scales().size(), a.spaces().size(), kind.name().toLowerCase(), range, seed,
                permute ? ", " + g.permutations().size() + " permutation classes permuted" : ""));
        long pairs = g.matrices().stream().filter(p -> p instanceof PairTransform).count();
        long scalings = g.matrices().stream().filter(p -> p instanceof HeadScaling).count();
        long rotations = g.matrices().stream().filter(p -> p instanceof StreamRotation).count();
        if (pairs > 0) b.append(String.format("%n  attention: %d pairs moved by per-head A (condition number %.3g), %d attentions scaled per head",
                pairs, maxCondition(g), scalings));
        if (!folding.isEmpty()) b.append("%n  norm folding: ".formatted()).append(folding.getFirst());
        if (rotations > 0) b.append(String.format("%n  residual: %d stream(s) rotated (%s)", rotations, rotation.name().toLowerCase()));
        return b.toString();
    }

    private static double maxCondition(GroupElement g) {
        return g.matrices().stream().filter(p -> p instanceof PairTransform).mapToDouble(p -> ((PairTransform) p).conditionNumber()).max().orElse(1);
    }

    private java.util.Map<String, Object> facts(GroupElement g) {
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
        if (attention) f.put("attention_condition_number", maxCondition(g));
        if (rotateResidual) {
            f.put("norm_folding", folding);
            f.put("rotation", rotation.name().toLowerCase());
        }
        return f;
    }
}
