package dev.orbit.cli;

import dev.orbit.io.safetensors.ElementType;
import picocli.CommandLine.Option;

/** Options that apply when MODEL is a Hugging Face checkpoint folder (config.json + safetensors). */
final class CheckpointOptions {
    @Option(names = "--dtype", paramLabel = "TYPE", description = "Checkpoint folders: write every floating tensor as f32, f64, bf16 or f16 (default: each keeps its own type; f32 output is held to the float32 noise rule, bf16/f16 output to its re-rounding bound).")
    String dtype;

    @Option(names = "--verify-sequences", defaultValue = "4", paramLabel = "N", description = "Checkpoint folders: random token sequences the verification runs (default ${DEFAULT-VALUE}).")
    int sequences;

    @Option(names = "--verify-length", defaultValue = "16", paramLabel = "T", description = "Checkpoint folders: tokens per verification sequence (default ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--layer-by-layer", description = "Checkpoint folders: also compare the hidden states after every block.")
    boolean layers;

    ElementType type() {
        if (dtype == null) return null;
        return switch (dtype.toLowerCase()) {
            case "f32", "float32" -> ElementType.F32;
            case "f64", "float64" -> ElementType.F64;
            case "bf16", "bfloat16" -> ElementType.BF16;
            case "f16", "float16" -> ElementType.F16;
            default -> throw new UserError(ExitCodes.USAGE, "--dtype must be f32, f64, bf16 or f16, got '" + dtype + "'");
        };
    }

    void check() {
        Ranges.positive(sequences, "--verify-sequences");
        Ranges.positive(length, "--verify-length");
        type();
    }
}
