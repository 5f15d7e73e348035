package dev.orbit.cli;

import java.nio.file.Path;
import java.util.stream.Collectors;

import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "symmetries", mixinStandardHelpOptions = true,
        description = {"List a model's neuron spaces and the group acting on each: permutations, scalings",
                "(NONZERO = any non-zero factor, activations rewritten as τ·σ(x/τ) where needed; POSITIVE = positive",
                "factors only; NONE = fixed), the parameter axes each touches, and why frozen spaces are frozen."})
final class SymmetriesCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(OnnxImporter.read(model));
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(a));
        } else {
            out.print(text(a));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String text(SymmetryAnalysis a) {
        StringBuilder b = new StringBuilder();
        long free = a.spaces().stream().filter(NeuronSpace::isFree).count();
        b.append(String.format("%d neuron spaces: %d free, %d fixed; %d activation regions%n", a.spaces().size(), free,
                a.spaces().size() - free, a.regions().size()));
        for (NeuronSpace s : a.spaces()) {
            b.append(String.format("%nspace %d  size %d  from %s%n", s.id(), s.size(), s.origin()));
            b.append("  permutations  ").append(s.permutable() ? "yes (class " + s.permClass() + ")" : "no — " + s.permReason()).append('\n');
            b.append("  scaling       ").append(switch (s.scaling()) {
                case NONZERO -> "any non-zero factor" + (s.exactWithoutRewrite() ? " (positive factors need no activation rewrite)" : " (activations rewritten as τ·σ(x/τ))");
                case POSITIVE -> "positive factors only — " + s.scaleReason();
                case NONE -> "none — " + s.scaleReason();
            }).append('\n');
            if (s.scaling() != Scaling.NONE || s.permutable()) {
                b.append("  touches       ").append(s.touches().stream().map(SymmetriesCommand::touch).collect(Collectors.joining(", "))).append('\n');
            }
            if (!s.regions().isEmpty()) {
                b.append("  activations   ").append(s.regions().stream()
                        .map(r -> String.join("+", a.regions().get(r).nodes())).collect(Collectors.joining(", "))).append('\n');
            }
        }
        return b.toString();
    }

    private static String touch(ParamTouch t) {
        String role = switch (t.role()) {
            case COVARIANT -> "×τ";
            case CONTRAVARIANT -> "÷τ";
            case PERMUTE_ONLY -> "perm";
        };
        return t.parameter() + "[axis " + t.axis() + (t.offset() > 0 ? ", from " + t.offset() : "")
                + (t.repeat() > 1 ? ", ×" + t.repeat() + " positions" : "") + "] " + role;
    }
}
