package dev.orbit;

import java.util.stream.Collectors;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;

/** The readable form of {@link Symmetries}: one block per neuron space, then the matrix and isometry groups. */
final class SymmetriesText {
    private SymmetriesText() {}

    static String of(Model model, SymmetryAnalysis a) {
        return text(a) + afterFolding(model, a) + lengthProducts(model);
    }

    private static String text(SymmetryAnalysis a) {
        StringBuilder b = new StringBuilder();
        long free = a.spaces().stream().filter(NeuronSpace::isFree).count();
        b.append(String.format("%d neuron spaces: %d free, %d fixed; %d activation regions%n", a.spaces().size(), free,
                a.spaces().size() - free, a.regions().size()));
        b.append(a.coverage().line()).append('\n');
        for (NeuronSpace s : a.spaces()) {
            b.append(String.format("%nspace %d  size %d  from %s%n", s.id(), s.size(), s.origin()));
            b.append("  permutations  ").append(s.permutable() ? "yes (class " + s.permClass() + ")"
                    : s.headPermutable() ? "whole heads of " + s.permBlock() + " channels (class " + s.permClass() + ")" : "no — " + s.permReason()).append('\n');
            b.append("  scaling       ").append(switch (s.scaling()) {
                case NONZERO -> "any non-zero factor" + (s.exactWithoutRewrite() ? " (positive factors need no activation rewrite)" : " (activations rewritten as τ·σ(x/τ))");
                case POSITIVE -> "positive factors only — " + s.scaleReason();
                case NONE -> "none — " + s.scaleReason();
            }).append('\n');
            if (s.isFree()) {
                b.append("  touches       ").append(s.touches().stream().map(SymmetriesText::touch).collect(Collectors.joining(", "))).append('\n');
            }
            if (!s.regions().isEmpty()) {
                b.append("  activations   ").append(s.regions().stream()
                        .map(r -> String.join("+", a.regions().get(r).nodes())).collect(Collectors.joining(", "))).append('\n');
            }
        }
        matrixGroups(a, b);
        return b.toString();
    }

    /** Streams blocked only by norm gains or LayerNorm centring become rotatable after the exact folding rewrite. */
    private static String afterFolding(Model loaded, SymmetryAnalysis a) {
        if (a.streams().isEmpty() || a.streams().stream().allMatch(dev.orbit.symmetry.ResidualStream::rotatable)) return "";
        var folded = dev.orbit.symmetry.NormFolding.fold(loaded);
        if (!folded.changed()) return "";
        var refolded = SpaceAnalyzer.analyze(folded.model());
        StringBuilder b = new StringBuilder(String.format("%nafter folding norm gains into the linear maps (exact; teleport "
                + "--rotate-residual and rotate do it): %d of %d residual streams rotatable%n",
                refolded.rotatableStreams().size(), refolded.streams().size()));
        refolded.streams().stream().filter(st -> !st.rotatable()).map(dev.orbit.symmetry.ResidualStream::reason).distinct()
                .forEach(reason -> b.append("  still fixed: ").append(reason).append('\n'));
        return b.toString();
    }

    /** Length-product layers carry their own isometry group, acting on the weight points and the input embedding together. */
    private static String lengthProducts(Model loaded) {
        StringBuilder b = new StringBuilder();
        for (var layer : dev.orbit.symmetry.LengthLayers.of(loaded)) {
            String group = switch (layer.geometry()) {
                case dev.orbit.geometry.LayerIsometry.Geometry.Line l -> "isometries of the line x ↦ ±x + c";
                case dev.orbit.geometry.LayerIsometry.Geometry.Plane p -> "PSL(2,R) Möbius maps of H²";
                case dev.orbit.geometry.LayerIsometry.Geometry.HalfSpace h -> "Isom(H" + h.n() + ") (O⁺(" + h.n() + ",1))";
            };
            b.append(String.format("%nlength-product layer %s (%s)%n  group  %s, on its weight points and input embedding together "
                    + "(orbit hyperbolic-orbit)%n", layer.node().label(), layer.node().opType(), group));
        }
        return b.toString();
    }

    /** The groups that act by matrices, not per neuron: GL(d) inside attention, rotations of residual streams. */
    private static void matrixGroups(SymmetryAnalysis a, StringBuilder b) {
        for (var p : a.pairs()) {
            b.append(String.format("%n%s pair %d  %d head%s × %d%s  from %s%n", p.kind() == dev.orbit.symmetry.LinearPair.Kind.QUERY_KEY
                    ? "query–key" : "value–output", p.id(), p.heads(), p.heads() == 1 ? "" : "s", p.headDim(),
                    p.kvHeads() == p.heads() ? "" : " sharing " + p.kvHeads() + " key/value heads", p.origin()));
            if (p.group() == dev.orbit.symmetry.LinearPair.Group.ROPE_COMMUTANT) {
                b.append("  rotary embeddings: per key head a·I + b·J on each rotary pair (i, i + d/2), 2 dimensions per pair (teleport --attention)\n");
            } else {
                b.append(p.kind() == dev.orbit.symmetry.LinearPair.Kind.QUERY_KEY
                        ? "  GL(d) per head: W_q → W_q·A, W_k → W_k·A⁻ᵀ (teleport --attention)\n"
                        : "  GL(d) per head: W_v → W_v·B, W_o → B⁻¹·W_o (teleport --attention)\n");
            }
        }
        for (var att : a.attentions()) {
            b.append(String.format("%nattention %d  %s scores, %d head%s  from %s%n", att.id(), att.score().name().toLowerCase(java.util.Locale.ROOT),
                    att.heads(), att.heads() == 1 ? "" : "s", att.origin()));
            b.append("  per-head scaling  ").append(att.positivelyHomogeneous()
                    ? "α_q·α_k·α_v = 1 with a positive product (positively homogeneous scores)"
                    : "α_q·α_k = 1; the value scale moves into the output projection").append('\n');
        }
        for (var st : a.streams()) {
            b.append(String.format("%nresidual stream %d  width %d, %d writers, %d readers, %d norms  from %s%n", st.id(), st.size(),
                    st.writers().size(), st.readers().size(), st.norms(), st.origin()));
            b.append("  rotation O(d)     ").append(st.rotatable() ? "yes (teleport --rotate-residual, rotate)" : "no — " + st.reason()).append('\n');
        }
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
