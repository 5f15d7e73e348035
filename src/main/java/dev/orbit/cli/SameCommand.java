package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.SameOrbit;
import dev.orbit.identity.Membership;
import dev.orbit.report.Json;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "same", mixinStandardHelpOptions = true,
        description = {"Is B a move g·A of A? Recovers g (permutations, scalings, attention GL(d), residual rotations), verifies g·A "
                + "against B in ONNX Runtime and writes g; otherwise reports how near B comes after the best alignment.",
                "Exit 0: same orbit (verified); 1: g·A differs from B in ONNX Runtime; 10: near; 11: not the same orbit."})
final class SameCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "The reference ONNX model.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The ONNX model to test (names and opset may differ).")
    Path b;

    @Option(names = {"-o", "--element"}, paramLabel = "FILE", description = "Write the recovered g here (JSON element file for A; replay with orbit apply).")
    Path element;

    @Mixin
    JsonOption json;

    @Mixin
    CheckOptions check;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Tolerance rule = check.rule();
        Network ma = Orbit.load(a);
        Network mb = Orbit.load(b);
        SameOrbit s = ma.sameOrbitAs(mb);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("a", a.toString());
        out.put("b", b.toString());
        out.putAll(s.facts());
        VerifyReport report = null;
        if (s.verdict() == Membership.Verdict.SAME && !check.noVerify) {
            report = s.verify(check.inputs.inputs(), rule);
            out.put("verification", report);
        }
        boolean verified = report == null || report.passedAndFinite();
        if (s.verdict() == Membership.Verdict.SAME && verified && element != null) {
            s.element().save(element);
            out.put("element", element.toString());
        }
        var o = spec.commandLine().getOut();
        if (json.json) {
            o.println(Json.write(out));
        } else {
            Membership.Result r = s.result();
            o.printf("%s: %s vs %s%n", out.get("verdict"), a, b);
            o.printf("largest residual per tensor %.3g (same ≤ %.3g = %.0f × float floor %.3g; near ≤ %.2g), distance after alignment %.3g%n",
                    r.maxResidual(), r.sameThreshold(), Membership.SAME_FLOOR_MULTIPLE, r.floor(), Membership.NEAR_RESIDUAL, r.distance());
            o.printf("g: %d permutation classes, %d scaled spaces, %d matrix parts%s; alignment %.2f s%n", r.element().permutations().size(),
                    r.element().scales().size(), r.element().matrices().size(), onWhat(r), r.seconds());
            if (r.verdict() != Membership.Verdict.SAME) {
                r.residuals().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                        .forEach(e -> o.printf("  residual %-40s %.4g%n", e.getKey(), e.getValue()));
            }
            if (r.interchangeableUnits() > 0) {
                o.printf("%d units are exactly interchangeable with another (dead or duplicate): g may place them either way%n",
                        r.interchangeableUnits());
            }
            r.notes().forEach(n -> o.println("note: " + n));
            if (report != null) o.print(report.toText());
            if (out.containsKey("element")) o.println("wrote " + element);
        }
        o.flush();
        if (report != null && report.hasNonFinite()) return ExitCodes.NUMERIC;
        return switch (s.verdict()) {
            case SAME -> verified ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
            case NEAR -> ExitCodes.NEAR_ORBIT;
            case DIFFERENT -> ExitCodes.NOT_SAME_ORBIT;
        };
    }

    private static String onWhat(Membership.Result r) {
        java.util.List<String> how = new java.util.ArrayList<>();
        if (r.folded()) how.add("its norm gains folded");
        if (r.batchNormsFolded() > 0) how.add(r.batchNormsFolded() + " BatchNorms folded into their Conv");
        return how.isEmpty() ? "" : " (on A with " + String.join(", ", how) + ")";
    }
}
