package dev.orbit.cli;

import dev.orbit.verify.Tolerance;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The ONNX Runtime check that canonical, license and same run on their result: whether, how tight, on what inputs. */
final class CheckOptions {
    @Option(names = "--no-verify", description = "Skip the check in ONNX Runtime.")
    boolean noVerify;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Maximum relative output error (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Mixin
    InputOptions inputs;

    /** The tolerance as a rule, validated (a user error for a bad value). */
    Tolerance rule() {
        Ranges.tolerance(tolerance);
        return new Tolerance(tolerance);
    }
}
