package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.report.Json;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "license", mixinStandardHelpOptions = true,
        description = "Write a licensee's keyed copy: MODEL moved by an element derived from HMAC-SHA-256(key, id) "
                + "(permutations, positive scalings, attention GL(d), rotations; no node is added), verified in ONNX Runtime.")
final class LicenseCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The secret key (a file of at least 16 bytes).")
    Path key;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "The licensee's id.")
    String id;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "COPY", description = "Where to write the copy.")
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
        if (id.isBlank()) throw new UserError(ExitCodes.USAGE, "--id must not be blank");
        byte[] k = KeyFiles.key(key);
        Network n = Orbit.load(model);
        Network copy = n.license(k, id.strip());
        VerifyReport report = check.noVerify ? null : n.compareWith(copy, check.inputs.inputs(), rule);
        boolean ok = report == null || report.passedAndFinite();
        if (ok) copy.save(output);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.toString());
        out.put("id", id.strip());
        if (report != null) out.put("verification", report);
        if (ok) out.put("output", output.toString());
        var o = spec.commandLine().getOut();
        if (json.json) {
            o.println(Json.write(out));
        } else {
            if (report != null) o.print(report.toText());
            o.println(ok ? "wrote " + output + " for licensee " + id.strip() : "not written: the copy does not match the model within the tolerance");
        }
        o.flush();
        if (report != null && report.hasNonFinite()) return ExitCodes.NUMERIC;
        return ok ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
}
