package dev.orbit.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.spectra.BalancedPoint;
import dev.orbit.symmetry.ActivationRegion;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * A representative of a model's orbit that depends only on the orbit: canonical(g·M) = canonical(M) up to float
 * rounding. Steps: (1) teleport rewrites are undone (each region's rewrite constant τ read off its exit {@code Mul},
 * the model moved by 1/τ, which drops the Muls); (2) when folding norm gains makes a residual stream rotatable, the
 * model is folded (an exact rewrite) so that rotated copies and the original meet; (3) the sequential resolution of
 * {@link Aligner} with {@link CanonicalDecider}'s rules fixes every scale, sign, permutation, attention basis and
 * stream basis in dependency order; (4) the result is moved to its balanced point (per unit equal incoming and
 * outgoing norms, {@link BalancedPoint}) on the spaces whose positive scaling needs no rewrite — a deterministic
 * function of a canonical point, so still canonical. The canonical model has no rewrite nodes.
 */
public final class CanonicalForm {
    /**
     * @param undoneRewrites    activation regions whose teleport rewrite was undone
     * @param tiedUnits         units tied on all three sort keys (kept in their order: canonical only if they are
     *                          exactly interchangeable, e.g. dead or duplicate units)
     * @param degenerateBases   attention or stream bases with (near-)equal singular values (a basis within such a
     *                          subspace is not canonical)
     * @param streamsRotated    whether residual streams got a canonical basis (false when the settled writers and
     *                          readers, nor the invariant products of a rotation-only stream, determine it; the stream
     *                          is then treated as a permutation class)
     */
    public record Result(Model model, int undoneRewrites, boolean folded, boolean streamsRotated, int tiedUnits,
                         int deadUnits, int degenerateBases, boolean balanced, List<String> notes, double seconds) {}

    private CanonicalForm() {}

    public static Result of(Model input) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        int[] undone = new int[1];
        Model m = unteleport(input, undone);
        boolean folded = false;
        if (SpaceAnalyzer.analyze(m).rotatableStreams().isEmpty()) {
            NormFolding.Result f = NormFolding.fold(m);
            if (f.changed() && !SpaceAnalyzer.analyze(f.model()).rotatableStreams().isEmpty()) {
                Attempt rotated = attempt(f.model(), true);
                if (rotated.aligner.underdetermined.isEmpty() && rotated.decider.tiedUnits == 0 && rotated.decider.degenerateBases == 0) {
                    return finish(rotated, undone[0], true, true, notes, start);
                }
                notes.add("residual streams not canonicalised: their first writers and last readers do not span them, nor (for a stream that only rotates) the invariant products");
            }
        }
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        boolean rotate = !a.rotatableStreams().isEmpty();
        Attempt at = attempt(m, rotate);
        if (rotate && !at.aligner.underdetermined.isEmpty()) {
            notes.add("residual streams not canonicalised: their first writers and last readers do not span them, nor (for a stream that only rotates) the invariant products");
            at = attempt(m, false);
            rotate = false;
        }
        return finish(at, undone[0], folded, rotate, notes, start);
    }

    private record Attempt(Model model, SymmetryAnalysis analysis, Aligner aligner, CanonicalDecider decider, GroupElement element) {}

    private static Attempt attempt(Model m, boolean rotate) {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Map<String, Tensor64> work = new LinkedHashMap<>();
        for (var e : m.graph().parameters().entrySet()) if (e.getValue().dtype().isFloating()) work.put(e.getKey(), Tensor64.of(e.getValue()));
        Aligner al = new Aligner(a, work, rotate);
        CanonicalDecider d = new CanonicalDecider();
        GroupElement g = al.run(d);
        return new Attempt(m, a, al, d, g);
    }

    private static Result finish(Attempt at, int undone, boolean folded, boolean rotated, List<String> notes, long start) {
        Model c = OrbitAction.apply(at.model, at.analysis, at.element);
        boolean balanced = false;
        try {
            SymmetryAnalysis positive = positiveOnly(at.analysis);
            if (!Boolean.getBoolean("orbit.debug.nobalance") && positive.spaces().stream().anyMatch(s -> s.scaling() != Scaling.NONE)) {
                c = BalancedPoint.of(c, positive).model();
                balanced = true;
            }
        } catch (ArithmeticException e) {
            notes.add("balancing skipped: " + e.getMessage());
        }
        notes.addAll(at.aligner.notes);
        if (c.graph().nodes().stream().anyMatch(Node::isRewrite)) notes.add("rewrite nodes remain (a region's rewrite could not be undone)");
        return new Result(c, undone, folded, rotated, at.decider.tiedUnits, at.aligner.deadUnits, at.decider.degenerateBases, balanced,
                notes, (System.nanoTime() - start) / 1e9);
    }

    /** The analysis with scaling kept only where positive factors need no activation rewrite. */
    static SymmetryAnalysis positiveOnly(SymmetryAnalysis a) {
        List<NeuronSpace> spaces = new ArrayList<>();
        for (NeuronSpace s : a.spaces()) {
            boolean keep = s.scaling() != Scaling.NONE && (s.regions().isEmpty() || s.exactWithoutRewrite());
            spaces.add(keep ? s : new NeuronSpace(s.id(), s.size(), s.origin(), s.permClass(), s.permutable(), s.permReason(), Scaling.NONE,
                    "held for the canonical form", s.exactWithoutRewrite(), s.touches(), s.regions(), s.headPermutable(), s.permBlock(), s.permTiles()));
        }
        return new SymmetryAnalysis(spaces, a.regions(), a.notes(), a.pairs(), a.attentions(), a.streams(), a.outputSpaces());
    }

    /** Moves every rewritten region back by 1/τ, τ read off its exit Mul, so the rewrite Muls drop out. */
    static Model unteleport(Model m, int[] undone) {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Map<String, Node> byLabel = new LinkedHashMap<>();
        for (Node n : m.graph().nodes()) byLabel.put(n.label(), n);
        Map<Integer, double[]> scales = new TreeMap<>();
        for (ActivationRegion r : a.regions()) {
            Node exit = r.nodes().stream().map(byLabel::get).filter(n -> n != null && n.isRewriteOut()).findFirst().orElse(null);
            if (exit == null) continue;
            NdArray c = m.graph().parameter(exit.input(1));
            if (c == null) continue;
            int pos = 0;
            for (int i = 0; i < r.spaces().size(); i++) {
                int size = Math.toIntExact(r.sizes().get(i));
                long rep = r.repeats().get(i);
                double[] inv = scales.computeIfAbsent(r.spaces().get(i), k -> Aligner.ones(size));
                for (int j = 0; j < size; j++) inv[j] = 1 / c.getAsDouble(pos + j * rep);
                pos += Math.toIntExact(size * rep);
            }
            undone[0]++;
        }
        if (scales.isEmpty()) return m;
        return OrbitAction.apply(m, a, new GroupElement(Map.of(), scales));
    }
}
