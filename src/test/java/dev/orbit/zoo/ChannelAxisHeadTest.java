package dev.orbit.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.orbit.Inputs;
import dev.orbit.Moved;
import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.VerifyReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * A channel-last residual stream whose last norm is read by an NCHW head (Transpose(0, 3, 1, 2), a mean over the
 * grid, Flatten or Reshape, a linear map): the channel axis leaves the last position before the linear reader.
 * Norm folding must reach the head through it, and the stream must rotate (Swin's stage-2 stream has exactly this
 * tail); a max pool in the same place is not linear in the channels and must stop both, with a reason.
 */
class ChannelAxisHeadTest {
    private static final int SAMPLES = 8;

    private static SymmetryAnalysis foldedAnalysis(Model m) { return SpaceAnalyzer.analyze(NormFolding.fold(m).model()); }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SmallGraphs.Head.class, names = {"AVERAGE_POOL", "REDUCE_MEAN"})
    void layerNormStreamFoldsIntoTheHeadAndRotates(SmallGraphs.Head head) {
        Model m = SmallGraphs.channelLastStream(true, head);
        var folded = NormFolding.fold(m);
        assertEquals(2, folded.foldedGains(), "both norms' gains, the final one into the head: " + folded.notes());
        assertEquals(1, folded.centredStreams(), folded.notes().toString());
        assertTrue(folded.notes().isEmpty(), folded.notes().toString());

        SymmetryAnalysis a = SpaceAnalyzer.analyze(folded.model());
        assertEquals(1, a.rotatableStreams().size(), a.streams().toString());
        ResidualStream s = a.rotatableStreams().getFirst();
        assertEquals(8, s.size());
        // the head reads the channels on its weight's input axis: [4, 8] with transB (axis 1), [8, 4] for MatMul (axis 0)
        assertTrue(s.readers().contains(new BlockTouch("wh", head == SmallGraphs.Head.AVERAGE_POOL ? 1 : 0, 0)), s.readers().toString());
        assertTrue(s.readers().contains(new BlockTouch("w1", 0, 0)), s.readers().toString());

        Moved moved = Orbit.of(m, head.name()).move(Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(3)
                .rotateResidual(MatrixSampling.Rotation.HAAR));
        VerifyReport r = moved.verify(Inputs.random(SAMPLES).seed(3), NoiseRule.MOVE);
        System.out.printf("channel-last stream, %s head: rotated, worst ratio moved/own %.2f%n", head, r.worstNoiseRatio());
        assertTrue(r.passedAndFinite(), r.toText());
        assertTrue(moved.description().contains("1 stream(s) rotated"), moved.description());
    }

    @Test
    void gainFreeStreamRotatesAsItIsThroughTheHead() {
        Model m = SmallGraphs.channelLastStream(false, SmallGraphs.Head.AVERAGE_POOL);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        assertEquals(1, a.rotatableStreams().size(), a.streams().toString());
        assertEquals(2, a.rotatableStreams().getFirst().norms());
        VerifyReport r = rotateAndVerify(m, a);
        assertTrue(r.passedAndFinite(), r.toText());
    }

    @Test
    void aMaxPoolHeadStopsFoldingAndRotationWithAReason() {
        var folded = NormFolding.fold(SmallGraphs.channelLastStream(true, SmallGraphs.Head.MAX_POOL));
        assertEquals(1, folded.foldedGains(), "only the block norm folds: " + folded.notes());
        assertTrue(folded.notes().stream().anyMatch(n -> n.contains("GlobalMaxPool")), folded.notes().toString());
        assertTrue(foldedAnalysis(SmallGraphs.channelLastStream(true, SmallGraphs.Head.MAX_POOL)).rotatableStreams().isEmpty());

        Model m = SmallGraphs.channelLastStream(false, SmallGraphs.Head.MAX_POOL);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        assertTrue(a.rotatableStreams().isEmpty(), a.streams().toString());
        ResidualStream s = a.streams().getFirst();
        assertTrue(s.reason().contains("GlobalMaxPool"), s.reason());

        // declaring it rotatable anyway (the head's weight as a reader) is caught by verification, by far
        List<ResidualStream> lying = new ArrayList<>();
        for (ResidualStream x : a.streams()) {
            List<BlockTouch> readers = new ArrayList<>(x.readers());
            readers.add(new BlockTouch("wh", 1, 0));
            lying.add(new ResidualStream(x.id(), x.size(), x.writers(), readers, x.norms(), true, "", x.origin(), x.values()));
        }
        var wrong = new SymmetryAnalysis(a.spaces(), a.regions(), a.notes(), a.pairs(), a.attentions(), lying, a.outputSpaces());
        VerifyReport r = rotateAndVerify(m, wrong);
        assertFalse(r.passedAndFinite(), "rotating through a max pool must not verify:\n" + r.toText());
        assertTrue(r.worstNoiseRatio() > 1000, "and by far: " + r.worstNoiseRatio());
    }

    /**
     * Soundness on the head path: one {@link GraphMutation} on the last norm's output or on a value of the head (the
     * NCHW transpose, the pool, the flattened vector), on either head's stream. Whatever the analysis then declares
     * (the stream may stop rotating: a norm or a channel interleave on the head path blocks it), a move of all of it
     * verifies; with LayerNorms, folding first keeps the function and the folded model's declared freedom moves too.
     */
    @Property(tries = 24, seed = "154", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void editsOnTheHeadPathKeepWhatIsDeclaredExact(@ForAll("headValues") String value, @ForAll boolean layerNorm,
                                                    @ForAll("headEdits") GraphMutation.Kind kind, @ForAll boolean lastAxis, @ForAll long seed) {
        Model base = SmallGraphs.channelLastStream(layerNorm, SmallGraphs.Head.AVERAGE_POOL);
        List<String> sites = GraphMutation.candidates(base).stream().map(GraphMutation.Site::value).toList();
        var applied = new GraphMutation(kind, sites.indexOf(value), lastAxis, seed).apply(base);
        Assume.that(applied != null);
        Model m = applied.model();
        if (layerNorm) {
            var folded = NormFolding.fold(m);
            VerifyReport same = Orbit.of(m, "edited").compareWith(Orbit.of(folded.model(), "folded"), Inputs.random(SAMPLES).seed(seed), NoiseRule.MOVE);
            assertTrue(same.passedAndFinite(), applied.description() + ": folding changed the function\n" + same.toText() + "\n" + folded.notes());
            m = folded.model();
        }
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        assertTrue(DeclaredFreedom.missingReasons(a).isEmpty(), applied.description() + ": " + DeclaredFreedom.missingReasons(a));
        Statistics.label("stream rotates").collect(!a.rotatableStreams().isEmpty());
        System.out.printf("head edit %-70s stream %s%n", applied.description() + (layerNorm ? " (folded)" : ""),
                a.rotatableStreams().isEmpty() ? "fixed: " + (a.streams().isEmpty() ? "none found" : a.streams().getFirst().reason()) : "rotates");
        VerifyReport r = DeclaredFreedom.moveAndVerify(m, a, seed);
        assertTrue(r.passedAndFinite(), applied.description() + " (seed " + seed + "): a declared move does not verify\n" + r.toText()
                + "\nstreams: " + a.streams());
    }

    @Provide
    Arbitrary<String> headValues() { return Arbitraries.of("n2", "nchw", "pooled", "flat"); }

    /** Every kind of edit, the channel-keeping reshape (the one a rotation may pass) as often as all others together. */
    @Provide
    @SuppressWarnings("unchecked")
    Arbitrary<GraphMutation.Kind> headEdits() {
        var kinds = GraphMutation.Kind.values();
        Tuple.Tuple2<Integer, GraphMutation.Kind>[] weights = new Tuple.Tuple2[kinds.length];
        for (int i = 0; i < kinds.length; i++) weights[i] = Tuple.of(kinds[i] == GraphMutation.Kind.KEEP_RESHAPE ? kinds.length - 1 : 1, kinds[i]);
        return Arbitraries.frequency(weights);
    }

    private static VerifyReport rotateAndVerify(Model m, SymmetryAnalysis a) {
        GroupElement g = GroupElement.identity().withMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HAAR, 5));
        Model moved = OrbitAction.apply(m, a, g);
        return Orbit.of(m, "original").compareWith(Orbit.of(moved, "rotated"), Inputs.random(SAMPLES).seed(5), NoiseRule.MOVE);
    }
}
