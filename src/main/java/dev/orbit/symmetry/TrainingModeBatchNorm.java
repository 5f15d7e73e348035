package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.Role;

/**
 * The space analysis for a network that is being trained: BatchNorm with batch statistics.
 *
 * <p>The analysis is written for inference, where BatchNorm y = γ(x−μ)/√(v+ε) + β passes a space with x → τx, μ → τμ,
 * β → τβ (the producer's rows scale by τ). While training, μ and v are the batch's own statistics: the normalised
 * x̂ does not see τ (up to ε), so that move gives γx̂ + τβ instead of τy and changes the function training sees. The
 * same factor on γ instead — γ → τγ, β → τβ, producer and running statistics untouched — gives τy exactly in both
 * modes (y = γx̂ + β with batch or running statistics alike). This rewrites each BatchNorm site that way: the space
 * keeps its factors, activation regions and permutations; only where τ lands changes. Permutations were already
 * exact in both modes (every per-channel tensor of the site moves with the channel).
 */
public final class TrainingModeBatchNorm {
    private TrainingModeBatchNorm() {}

    /**
     * {@code a} with every BatchNorm site's scaling moved from its producer (a Conv or Gemm whose output only the
     * BatchNorm reads) and running mean onto γ. Networks without BatchNorm get {@code a} back unchanged. A site whose
     * producer is not of that form cannot be rewritten: its space is left scaled as for inference, and the site is
     * listed in the analysis' notes as inexact in training mode.
     */
    public static SymmetryAnalysis of(Model model, SymmetryAnalysis a) {
        Graph g = model.graph();
        Set<String> producerAxis0 = new HashSet<>(); // producer parameters whose axis 0 no longer scales
        Set<String> means = new HashSet<>();
        Map<String, String> scales = new HashMap<>(); // γ of each rewritten site → its running mean
        List<String> notes = new ArrayList<>(a.notes());
        for (Node n : g.nodes()) {
            if (!n.opType().equals("BatchNormalization") || !g.isParameter(n.input(1)) || !g.isParameter(n.input(3))) continue;
            Node p = g.producer(n.input(0));
            boolean rewritable = p != null && (p.opType().equals("Conv") || p.opType().equals("Gemm") && p.attributes().getInt("transB", 0) == 1)
                    && g.consumers(p.output(0)).size() == 1 && g.isParameter(p.input(1)) && (p.input(2).isEmpty() || g.isParameter(p.input(2)));
            if (!rewritable) {
                notes.add("BatchNormalization '" + n.label() + "': its input is not the sole output of a Conv or Gemm; its space scales "
                        + "as for inference, which is not exact while training (batch statistics)");
                continue;
            }
            producerAxis0.add(p.input(1));
            if (!p.input(2).isEmpty()) producerAxis0.add(p.input(2));
            means.add(n.input(3));
            scales.put(n.input(1), n.input(3));
        }
        if (means.isEmpty()) return a;
        List<NeuronSpace> spaces = new ArrayList<>();
        for (NeuronSpace s : a.spaces()) {
            Set<String> meansHere = new HashSet<>();
            for (ParamTouch t : s.touches()) if (means.contains(t.parameter()) && t.role() == Role.COVARIANT) meansHere.add(t.parameter());
            if (meansHere.isEmpty()) {
                spaces.add(s);
                continue;
            }
            List<ParamTouch> touches = new ArrayList<>();
            for (ParamTouch t : s.touches()) {
                boolean scaled = t.role() == Role.COVARIANT;
                if (scaled && t.axis() == 0 && (producerAxis0.contains(t.parameter()) || meansHere.contains(t.parameter()))) {
                    touches.add(new ParamTouch(t.parameter(), t.axis(), Role.PERMUTE_ONLY, t.offset(), t.repeat(), t.unit()));
                } else if (t.role() == Role.PERMUTE_ONLY && meansHere.contains(scales.get(t.parameter()))) {
                    touches.add(new ParamTouch(t.parameter(), t.axis(), Role.COVARIANT, t.offset(), t.repeat(), t.unit()));
                } else {
                    touches.add(t);
                }
            }
            spaces.add(new NeuronSpace(s.id(), s.size(), s.origin(), s.permClass(), s.permutable(), s.permReason(), s.scaling(),
                    s.scaleReason(), s.exactWithoutRewrite(), touches, s.regions(), s.headPermutable(), s.permBlock(), s.permTiles()));
        }
        return new SymmetryAnalysis(spaces, a.regions(), notes, a.pairs(), a.attentions(), a.streams(), a.outputSpaces());
    }
}
