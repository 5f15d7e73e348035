package dev.orbit.cli;

import java.nio.file.Path;
import java.util.List;

import dev.orbit.MoveException;
import dev.orbit.Moves;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "teleport", mixinStandardHelpOptions = true,
        description = {"Move a model to a random point of its orbit: a random change of basis on every free neuron",
                "space (and random permutations with --permute), written as plain ONNX and verified in ONNX Runtime.",
                "--attention adds per-head GL(d) on every query-key and value-output pair",
                "(condition number --condition) and per-head scaling; --rotate-residual folds",
                "norm gains (an exact rewrite) and rotates every residual stream.",
                "MODEL may be a Hugging Face checkpoint folder (LLaMA, Mistral, Qwen2, Qwen3, GPT-2, BERT):",
                "the moves stream tensor by tensor into OUT (a folder, same shards, index and dtypes) and the",
                "result is verified on random tokens through Orbit's float64 reference forward (noise rule)."})
final class TeleportCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file, or a checkpoint folder (config.json + *.safetensors).")
    Path model;

    @Option(names = "--cob-range", defaultValue = "0.5", paramLabel = "R", description = "Range r of the change-of-basis factors (default ${DEFAULT-VALUE}).")
    double range;

    @Option(names = "--sampling", defaultValue = "INTRA", description = "INTRA U[1-r,1+r] (default), INTER ±U[1-r,1+r], POSITIVE U[0,r], NEGATIVE U[-r,0], CENTERED U[c-r,c+r].")
    Sampling.Kind kind;

    @Option(names = "--center", defaultValue = "1", paramLabel = "C", description = "Centre c for CENTERED sampling (default ${DEFAULT-VALUE}).")
    double centre;

    @Option(names = "--permute", description = "Also permute every permutable space.")
    boolean permute;

    @Mixin
    SeedOption seed;

    @Option(names = "--attention", description = "Also move attention: a random A per head on every query-key and value-output pair, and per-head scaling.")
    boolean attention;

    @Option(names = "--condition", defaultValue = "10", paramLabel = "K", description = "Condition number of every attention matrix A (default ${DEFAULT-VALUE}).")
    double condition;

    @Option(names = "--head-scale", defaultValue = "2", paramLabel = "S", description = "Per-head scaling factors within [1/S, S] (default ${DEFAULT-VALUE}).")
    double headScale;

    @Option(names = "--rotate-residual", description = "Fold norm gains into the linear maps (exact), then rotate every residual stream.")
    boolean rotateResidual;

    @Option(names = "--rotation", defaultValue = "HAAR", description = "Residual rotation: HAAR (default) or HADAMARD (randomised; width a power of two).")
    MatrixSampling.Rotation rotation;

    @Mixin
    MoveOptions move;

    @Mixin
    CheckpointOptions checkpoint;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Moves.Teleport teleport;
        try {
            teleport = Moves.teleport(kind, range).center(centre).seed(seed.seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        if (!(condition >= 1) || !Double.isFinite(condition)) throw new UserError(ExitCodes.USAGE, "--condition must be a number ≥ 1, got " + condition);
        if (!(headScale >= 1) || !Double.isFinite(headScale)) throw new UserError(ExitCodes.USAGE, "--head-scale must be a number ≥ 1, got " + headScale);
        if (CheckpointRun.isFolder(model)) return checkpoint();
        if (permute) teleport = teleport.permute();
        if (attention) teleport = teleport.attention(condition, headScale);
        if (rotateResidual) teleport = teleport.rotateResidual(rotation);
        try {
            return move.move(spec, model, teleport);
        } catch (MoveException e) {
            throw new UserError(ExitCodes.USAGE, switch (e.part()) {
                case ATTENTION -> "--attention: ";
                case RESIDUAL_STREAM -> "--rotate-residual: ";
                case ROTATION -> "--rotation " + rotation.name().toLowerCase() + ": ";
            } + e.getMessage());
        }
    }

    /** The same options on a checkpoint folder ({@link CheckpointTeleport} says what each becomes). */
    private int checkpoint() {
        checkpoint.check();
        CheckpointRun.refuseOnnxOnly(move.saveElement);
        OutputPaths.checkNotInput(move.output, model);
        try (var c = dev.orbit.checkpoint.Checkpoint.open(model)) {
            var recipe = new dev.orbit.checkpoint.CheckpointTeleport(new dev.orbit.symmetry.Sampling.Cob(kind, range, centre), permute, attention,
                    condition, headScale, rotateResidual ? dev.orbit.checkpoint.MoveSampler.Rotation.valueOf(rotation.name()) : null, seed.seed);
            List<dev.orbit.checkpoint.CheckpointTeleport.Step> steps;
            try {
                steps = recipe.steps(c.architecture());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, (rotateResidual ? "--rotation " + rotation.name().toLowerCase() + ": " : "") + e.getMessage());
            }
            if (steps.isEmpty()) {
                throw new UserError(ExitCodes.USAGE, model + ": a " + c.architecture().family().modelType
                        + " checkpoint has no free scaling; add --permute and/or --attention");
            }
            return CheckpointRun.write(spec, c, steps, move.output, checkpoint, !move.noVerify, seed.seed, move.json.json, new java.util.LinkedHashMap<>(), "");
        }
    }
}
