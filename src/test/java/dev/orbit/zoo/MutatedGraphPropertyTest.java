package dev.orbit.zoo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.orbit.MoveException;
import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.verify.VerifyReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 15's property: zoo graphs and hand-built graphs, edited the way other exporters write the same thing
 * ({@link GraphMutation}: reshapes that keep or break channels, NHWC transpose round trips, decomposed LayerNorm and
 * RMSNorm), then analysed. (a) Whatever the analysis declares free is free: one random move of all of it (inter
 * r = 0.9 with permutations, attention GL(d), rotations) verifies in ONNX Runtime under the noise rule; (b) nothing is
 * kept fixed without a reason. That it can fail is shown below: the same check on a deliberately wrong analysis fails.
 *
 * <p>Cost: 30 tries on small models (zoo files up to 62 kB and four hand-built graphs), each one analysis and one
 * verification of 4 samples; shrinking is off (a failure names the base, the edits and the seed instead).
 */
class MutatedGraphPropertyTest {
    /** The small zoo files, one per kind of structure (the big ones add time, not new structure). */
    static final List<String> ZOO = List.of("mlp_layernorm_op13", "tf_cnn_op13", "paddle_attention_op11", "detector_op13",
            "resnet18_op13", "convnext_tiny_op17");

    record Base(String name, Model model) {
        @Override public String toString() { return name; }
    }

    private static List<Base> bases;

    static synchronized List<Base> bases() {
        if (bases == null) {
            List<Base> b = new ArrayList<>();
            for (String z : ZOO) b.add(new Base(z, OnnxImporter.read(Zoo.DIR.resolve(z + ".onnx"))));
            for (Model m : SmallGraphs.all()) b.add(new Base(m.graph().name(), m));
            bases = List.copyOf(b);
        }
        return bases;
    }

    @Provide
    Arbitrary<Base> base() { return Arbitraries.of(bases()); }

    @Provide
    Arbitrary<List<GraphMutation>> edits() {
        Arbitrary<GraphMutation> one = Combinators.combine(Arbitraries.of(GraphMutation.Kind.values()),
                Arbitraries.integers().between(0, 1000), Arbitraries.of(true, false), Arbitraries.longs())
                .as(GraphMutation::new);
        return one.list().ofMinSize(1).ofMaxSize(2);
    }

    /** A base with the edits that fit applied: the model, what was done, and the kinds of edit applied. */
    record Mutated(Model model, String description, List<GraphMutation.Kind> kinds) {}

    /** The base with the edits that fit applied, and what was done. */
    static Mutated mutate(Base base, List<GraphMutation> edits) {
        Model m = base.model();
        List<String> done = new ArrayList<>();
        List<GraphMutation.Kind> kinds = new ArrayList<>();
        for (GraphMutation e : edits) {
            var applied = e.apply(m);
            if (applied == null) continue;
            m = applied.model();
            done.add(applied.description());
            kinds.add(e.kind());
        }
        return new Mutated(m, base + (done.isEmpty() ? " unedited" : ": " + String.join("; ", done)), kinds);
    }

    @Property(tries = 60, seed = "1515", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void whatIsDeclaredFreeMovesAndWhatIsFixedSaysWhy(@ForAll("base") Base base, @ForAll("edits") List<GraphMutation> edits,
                                                      @ForAll long seed) {
        var mutated = mutate(base, edits);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(mutated.model());
        List<String> silent = DeclaredFreedom.missingReasons(a);
        assertTrue(silent.isEmpty(), mutated.description() + ":\n" + String.join("\n", silent));
        if (a.pairs().isEmpty()) {
            // a refused move says why, too
            var refused = org.junit.jupiter.api.Assertions.assertThrows(MoveException.class, () ->
                    Orbit.of(mutated.model(), "mutated").move(Moves.teleport(Sampling.Kind.INTER, 0.9).attention(10)));
            assertFalse(refused.getMessage() == null || refused.getMessage().isBlank(), mutated.description());
        }
        long free = a.freeSpaces().stream().mapToLong(NeuronSpace::size).sum();
        long before = SpaceAnalyzer.analyze(base.model()).freeSpaces().stream().mapToLong(NeuronSpace::size).sum();
        Statistics.label("edits applied").collect(mutated.kinds().stream().map(Enum::name).sorted().toList().toString());
        Statistics.label("free channels after the edits").collect(free == 0 ? "none" : free < before ? "fewer" : free == before ? "as many" : "more");
        System.out.printf("mutation %-90s free channels %d -> %d%n", mutated.description(), before, free);
        VerifyReport r = DeclaredFreedom.moveAndVerify(mutated.model(), a, seed);
        assertTrue(r.passedAndFinite(), mutated.description() + " (seed " + seed + "): a move of what the analysis declares free does "
                + "not verify\n" + r.toText() + "\nfree spaces: " + a.freeSpaces());
    }

    /**
     * The property can fail: after an edit that really breaks channels (a softmax over pairs of channels), the analysis
     * freezes the space before it; declaring that space free anyway (a wrong analysis, same touches) is caught.
     */
    @Test
    void aWrongDeclarationIsCaught() {
        Model m = new GraphMutation(GraphMutation.Kind.PAIR_SOFTMAX, 0, true, 3).apply(SmallGraphs.mlp()).model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        NeuronSpace frozen = a.spaces().stream().filter(s -> !s.isFree() && !a.outputSpaces().contains(s.id()))
                .filter(s -> s.touches().stream().anyMatch(t -> t.parameter().equals("w1"))).findFirst().orElseThrow(() ->
                        new AssertionError("the space before the pair softmax should be fixed: " + a.spaces()));
        assertTrue(DeclaredFreedom.missingReasons(a).isEmpty());
        assertTrue(DeclaredFreedom.moveAndVerify(m, a, 5).passedAndFinite(), "the true analysis verifies");

        List<NeuronSpace> lying = new ArrayList<>(a.spaces());
        lying.set(frozen.id(), new NeuronSpace(frozen.id(), frozen.size(), frozen.origin(), frozen.permClass(), true, "",
                Scaling.NONZERO, "", false, frozen.touches(), frozen.regions()));
        SymmetryAnalysis wrong = new SymmetryAnalysis(lying, a.regions(), a.notes(), a.pairs(), a.attentions(), a.streams(), a.outputSpaces());
        VerifyReport r = DeclaredFreedom.moveAndVerify(m, wrong, 5);
        assertFalse(r.passedAndFinite(), "a wrong declaration must fail verification:\n" + r.toText());
        assertTrue(r.worstNoiseRatio() > 1000, "and by far: " + r.worstNoiseRatio());
    }

    /** And a fixed space without a reason is reported. */
    @Test
    void aSilentRefusalIsCaught() {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(SmallGraphs.mlp());
        NeuronSpace out = a.spaces().getLast();
        assertTrue(DeclaredFreedom.missingReasons(a).isEmpty(), DeclaredFreedom.missingReasons(a).toString());
        List<NeuronSpace> silent = new ArrayList<>(a.spaces());
        silent.set(out.id(), new NeuronSpace(out.id(), out.size(), out.origin(), out.permClass(), false, " ", Scaling.NONE, "",
                false, out.touches(), out.regions()));
        var report = DeclaredFreedom.missingReasons(new SymmetryAnalysis(silent, a.regions(), a.notes(), a.pairs(), a.attentions(),
                a.streams(), a.outputSpaces()));
        assertTrue(report.size() == 2, report.toString());
    }
}
