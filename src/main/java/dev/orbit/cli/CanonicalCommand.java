package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Canonical;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.report.Json;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "canonical", mixinStandardHelpOptions = true,
        description = "Write the orbit's canonical representative (the same for every move of MODEL), verified against MODEL in ONNX Runtime.")
final class CanonicalCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write the canonical model.")
    Path output;

    @Mixin
    JsonOption json;

    @Mixin
    CheckOptions check;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Tolerance rule = check.rule();
        OutputPaths.checkNotInput(output, model);
        Network n = Orbit.load(model);
        Canonical c = n.canonical();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.toString());
        out.putAll(c.facts());
        VerifyReport report = check.noVerify ? null : c.verify(check.inputs.inputs(), rule);
        if (report != null) out.put("verification", report);
        boolean ok = report == null || report.passedAndFinite();
        if (ok) {
            c.network().save(output);
            out.put("output", output.toString());
        }
        var o = spec.commandLine().getOut();
        if (json.json) {
            o.println(Json.write(out));
        } else {
            var r = c.result();
            o.printf("canonical form of %s: %d rewrites undone, norm gains %s, streams %s, %s; %d tied units, %d dead units, %d degenerate bases (%.2f s)%n",
                    model, r.undoneRewrites(), r.folded() ? "folded" : "kept", r.streamsRotated() ? "in their canonical basis" : "not rotated",
                    r.balanced() ? "balanced" : "not balanced (no rewrite-free scaling)", r.tiedUnits(), r.deadUnits(), r.degenerateBases(), r.seconds());
            r.notes().forEach(x -> o.println("note: " + x));
            if (report != null) o.print(report.toText());
            o.println(ok ? "wrote " + output : "not written: the canonical model does not match the original within the tolerance");
        }
        o.flush();
        if (report != null && report.hasNonFinite()) return ExitCodes.NUMERIC;
        return ok ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
}
