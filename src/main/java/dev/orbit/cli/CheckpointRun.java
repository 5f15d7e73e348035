package dev.orbit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.checkpoint.Checkpoint;
import dev.orbit.checkpoint.CheckpointMove;
import dev.orbit.checkpoint.CheckpointTeleport;
import dev.orbit.checkpoint.CheckpointVerification;
import dev.orbit.checkpoint.CheckpointWriter;
import dev.orbit.io.safetensors.ElementType;
import dev.orbit.report.Json;
import me.tongfei.progressbar.ProgressBar;

/**
 * The moving commands on a Hugging Face checkpoint folder: the moves stream into the output folder tensor by tensor
 * (a byte progress bar on stderr), the written folder is read back and verified against the original before it is
 * renamed into place (a failed check leaves nothing at OUT), and the result is printed as text or JSON.
 */
final class CheckpointRun {
    private CheckpointRun() {}

    static boolean isFolder(Path model) {
        return Files.isDirectory(model);
    }

    /**
     * Writes {@code steps} of {@code c} to {@code output}, verifying unless {@code verify} is false; {@code facts}
     * come first in the printed result. Returns the exit code.
     */
    static int write(picocli.CommandLine.Model.CommandSpec spec, Checkpoint c, List<CheckpointTeleport.Step> steps, Path output,
            CheckpointOptions options, boolean verify, long seed, boolean json, Map<String, Object> facts, String textBefore) {
        ElementType type = options.type();
        List<CheckpointMove> moves = steps.stream().map(CheckpointTeleport.Step::move).toList();
        Map<String, Object> result = new LinkedHashMap<>(facts);
        result.put("input", c.folder().toString());
        result.put("family", c.architecture().family().modelType);
        result.put("moves", steps.stream().map(CheckpointTeleport.Step::description).toList());
        result.put("dtype", type == null ? "as stored" : type.name());
        long total;
        try {
            total = CheckpointWriter.outputBytes(c, moves, type);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, c.folder() + ": " + e.getMessage());
        }
        long[][] tokens = CheckpointVerification.randomTokens(c.architecture().vocabSize(), options.sequences, options.length, seed + 7);
        CheckpointVerification[] report = {null};
        long start = System.nanoTime();
        boolean written;
        try (ProgressBar bar = Progress.bytes("writing", total)) {
            CheckpointWriter.write(c, moves, type, output, bar::stepTo, dir -> {
                if (!verify) return true;
                bar.setExtraMessage("verifying");
                try (Checkpoint moved = Checkpoint.open(dir)) {
                    report[0] = CheckpointVerification.run(c, moved, tokens, options.layers, seed);
                }
                return report[0].passed();
            });
            written = true;
        } catch (CheckpointWriter.Rejected e) {
            written = false;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        result.put("bytes", total);
        result.put("seconds", seconds);
        if (report[0] != null) result.put("verification", verificationJson(report[0]));
        if (written) result.put("output", output.toString());
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(result));
        } else {
            out.print(textBefore);
            out.println(c + ", moved along its orbit:");
            for (CheckpointTeleport.Step s : steps) out.println("  - " + s.description());
            out.printf("%s %.1f MB in %.1f s (%.0f MB/s, verification included)%n", written ? "wrote" : "computed", total / 1e6, seconds, total / 1e6 / seconds);
            if (report[0] != null) out.print(report[0].toText());
            else out.println("verification skipped (--no-verify)");
            out.println(written ? "wrote " + output : "not written: the moved checkpoint does not match the original within the noise rule");
        }
        out.flush();
        if (report[0] != null && !report[0].finite()) return ExitCodes.NUMERIC;
        return written ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    static Map<String, Object> verificationJson(CheckpointVerification v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", v.precision().equals("float32") ? "float32 noise rule: moved ≤ k·own + floor" : v.precision() + " re-rounding bound: moved ≤ k·floor");
        m.put("precision", v.precision());
        m.put("sequences", v.sequences());
        m.put("tokens", v.tokens());
        m.put("moved_error", v.movedError());
        m.put("own_error", v.ownError());
        m.put("k", CheckpointVerification.K);
        m.put("bound", v.bound());
        m.put("passed", v.passed());
        if (!v.layerErrors().isEmpty()) m.put("layer_errors", new ArrayList<>(v.layerErrors()));
        return m;
    }

    /** Options only ONNX models have. */
    static void refuseOnnxOnly(Path saveElement) {
        if (saveElement != null) {
            throw new UserError(ExitCodes.USAGE, "--save-element is for ONNX models; a checkpoint's move is reproduced by the same options and --seed");
        }
    }
}
