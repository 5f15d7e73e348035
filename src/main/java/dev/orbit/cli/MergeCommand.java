package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.identity.Merging;
import dev.orbit.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Align B to A (orbit align), then average the weights: M = (1 - alpha)·A + alpha·B_aligned. Nets with BatchNorm",
                "get their statistics recomputed on training digits (unless --no-reset); --repair restores the interpolated",
                "activation statistics of nets without BatchNorm (REPAIR). M is a new function: it is not verified against A or B.",
                "Exit 0: written; 2: bad options; 3: the weights of A and B do not pair up, or the digits do not fit the model."})
final class MergeCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "The first model (ONNX); M has its graph.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The second model (ONNX; same architecture, names may differ).")
    Path b;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "M", description = "Where to write the merged model.")
    Path output;

    @Option(names = "--alpha", defaultValue = "0.5", description = "Weight of B, in [0, 1] (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--no-align", description = "Average the weights as they are (naive merge).")
    boolean noAlign;

    @Option(names = "--repair", description = "REPAIR the merged units' statistics on the training digits (nets without BatchNorm).")
    boolean repair;

    @Option(names = "--no-reset", description = "Keep the averaged BatchNorm statistics instead of recomputing them.")
    boolean noReset;

    @Mixin
    AlignmentOptions alignment;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!(alpha >= 0 && alpha <= 1)) throw new UserError(ExitCodes.USAGE, "--alpha must be in [0, 1]");
        alignment.parsedMethod();
        OutputPaths.checkNotInput(output, a);
        OutputPaths.checkNotInput(output, b);
        Network ma = Orbit.load(a);
        Network mb = Orbit.load(b);
        boolean bn = Merging.hasBatchNorm(ma.ir());
        if (repair && bn) throw new UserError(ExitCodes.USAGE, "--repair is for nets without BatchNorm; this one has BatchNorm, whose statistics are reset by default");
        Merging.Correction correction = repair ? Merging.Correction.REPAIR : bn && !noReset ? Merging.Correction.RESET_BATCHNORM : Merging.Correction.NONE;
        var data = correction != Merging.Correction.NONE ? alignment.digits(ma) : null;
        Merging.Result r;
        try {
            r = Merging.merge(ma.ir(), mb.ir(), new Merging.Options(alpha, noAlign ? null : alignment.options(mb), correction, data));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.BAD_INPUT, e.getMessage());
        }
        Orbit.of(r.merged(), "merged").save(output);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("a", a.toString());
        out.put("b", b.toString());
        out.put("alpha", alpha);
        out.put("aligned", r.alignment() != null);
        if (r.alignment() != null) {
            out.put("method", r.alignment().method().name().toLowerCase());
            out.put("sweeps", r.alignment().sweeps());
            out.put("distance_before", r.alignment().distanceBefore());
            out.put("distance_after", r.alignment().distanceAfter());
        }
        out.put("correction", r.correction().name().toLowerCase());
        out.put("corrected", r.corrected());
        out.put("seconds", r.seconds());
        if (!r.notes().isEmpty()) out.put("notes", r.notes());
        out.put("output", output.toString());
        var o = spec.commandLine().getOut();
        if (json.json) {
            o.println(Json.write(out));
        } else {
            if (r.alignment() != null) {
                o.printf("aligned B to A by %s matching (%d sweeps): distance ||B-A||/||A|| %.4f -> %.4f%n", r.alignment().method().name().toLowerCase(),
                        r.alignment().sweeps(), r.alignment().distanceBefore(), r.alignment().distanceAfter());
            } else {
                o.println("not aligned (--no-align)");
            }
            o.printf("merged with alpha %.3f; %s%n", alpha, switch (r.correction()) {
                case NONE -> "no statistics corrected";
                case RESET_BATCHNORM -> r.corrected() + " BatchNorm layers reset on " + data.dim(0) + " training digits";
                case REPAIR -> r.corrected() + " units REPAIRed on " + data.dim(0) + " training digits";
            });
            r.notes().forEach(x -> o.println("note: " + x));
            o.println("wrote " + output);
        }
        o.flush();
        return ExitCodes.OK;
    }
}
