package dev.orbit.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.Fixtures.Fixture;
import dev.orbit.Fixtures;
import dev.orbit.graph.Model;
import dev.orbit.numeric.Matrices;

/**
 * Attention and residual-stream symmetries on the transformer fixtures, checked in ONNX Runtime (fixture input
 * plus 8 random inputs): norm folding, per-head GL(d) with condition number κ = 10, per-head scaling and
 * residual rotations (Haar and randomised Hadamard) keep outputs within {@link #TOLERANCE} relative
 * (ε = output scale; float32 rounding measured ≈ 1e-7), the inverse element restores the weights, and breaking a
 * constraint does change the outputs (so the checks can fail).
 */
class AttentionSymmetryTest {
    static final double TOLERANCE = 1e-5;
    static final double KAPPA = 10;

    static SymmetryAnalysis analyze(String name) { return SpaceAnalyzer.analyze(Fixtures.get(name).load()); }

    @Test
    void everyAttentionIsFoundWithItsHeads() {
        record Expect(String fixture, int attentions, int heads, int headDim, AttentionBlock.Score score, boolean homogeneous) {}
        for (Expect e : List.of(new Expect("transformer_encoder", 2, 4, 8, AttentionBlock.Score.SOFTMAX, false),
                new Expect("transformer_prenorm", 2, 2, 16, AttentionBlock.Score.SOFTMAX, false),
                new Expect("transformer_postnorm", 2, 2, 16, AttentionBlock.Score.SOFTMAX, false),
                new Expect("relu_attention", 1, 2, 16, AttentionBlock.Score.RELU, true),
                new Expect("decoder_rmsnorm", 2, 2, 16, AttentionBlock.Score.SOFTMAX, false))) {
            var a = analyze(e.fixture());
            assertEquals(e.attentions() * 2, a.pairs().size(), e.fixture() + ": a query–key and a value–output pair per attention");
            assertEquals(e.attentions(), a.attentions().size(), e.fixture());
            for (AttentionBlock b : a.attentions()) {
                assertEquals(e.heads(), b.heads(), e.fixture());
                assertEquals(e.headDim(), b.headDim(), e.fixture());
                assertEquals(e.score(), b.score(), e.fixture());
                assertEquals(e.homogeneous(), b.positivelyHomogeneous(), e.fixture());
                assertEquals(LinearPair.Kind.QUERY_KEY, a.pairs().get(b.queryKey()).kind());
                assertEquals(LinearPair.Kind.VALUE_OUTPUT, a.pairs().get(b.valueOutput()).kind());
                assertFalse(b.output().isEmpty(), "the output projection rows absorb the value scale");
            }
        }
    }

    @Test
    void fusedInputProjectionIsSplitIntoQueryKeyAndValueColumns() {
        var a = analyze("transformer_prenorm");
        LinearPair qk = a.pairs().get(a.attentions().getFirst().queryKey());
        LinearPair vo = a.pairs().get(a.attentions().getFirst().valueOutput());
        // nn.MultiheadAttention's in_proj is one [32, 96] weight sliced at run time into q | k | v
        assertEquals(qk.left().getFirst().parameter(), qk.right().getFirst().parameter());
        assertEquals(List.of(0L, 32L, 64L), List.of(qk.left().getFirst().offset(), qk.right().getFirst().offset(), vo.left().getFirst().offset()));
        assertTrue(qk.left().stream().anyMatch(t -> t.parameter().endsWith("in_proj_bias")), "the bias moves with its columns");
        assertTrue(vo.right().getFirst().parameter().endsWith("out_proj.weight"));
        assertEquals(1, vo.right().getFirst().axis(), "Gemm with transB: the output projection's input axis is axis 1");
    }

    @Test
    void normsAreRecognisedAsOpsAndAsSubgraphs() {
        record Expect(String fixture, long layerNorms, long rms, long single) {}
        for (Expect e : List.of(new Expect("transformer_prenorm", 5, 0, 5), new Expect("transformer_postnorm", 4, 0, 0),
                new Expect("transformer_encoder", 4, 0, 0), new Expect("decoder_rmsnorm", 0, 5, 0),
                new Expect("layernorm_decomposed", 1, 0, 0))) {
            Model m = Fixtures.get(e.fixture()).load();
            List<Norm> norms = NormFinder.find(m.graph(), dev.orbit.eval.ShapeInference.infer(m));
            assertEquals(e.layerNorms(), norms.stream().filter(n -> n.kind() == Norm.Kind.LAYER_NORM).count(), e.fixture());
            assertEquals(e.rms(), norms.stream().filter(n -> n.kind() == Norm.Kind.RMS_NORM).count(), e.fixture());
            assertEquals(e.single(), norms.stream().filter(Norm::singleOp).count(), e.fixture());
            assertTrue(norms.stream().allMatch(n -> n.gain() != null), e.fixture() + ": every norm has a gain");
        }
    }

    @Test
    void preNormStreamsRotateOnlyAfterFoldingPostNormNever() {
        var pre = analyze("transformer_prenorm");
        assertTrue(pre.rotatableStreams().isEmpty());
        assertTrue(pre.streams().getFirst().reason().contains("LayerNorm"), pre.streams().getFirst().reason());
        var folded = NormFolding.fold(Fixtures.get("transformer_prenorm").load());
        assertEquals(5, folded.foldedGains());
        assertEquals(1, folded.centredStreams());
        assertEquals(5, folded.layerNormsReplaced());
        var a = SpaceAnalyzer.analyze(folded.model());
        assertEquals(1, a.rotatableStreams().size());
        ResidualStream s = a.rotatableStreams().getFirst();
        assertEquals(32, s.size());
        assertEquals(5, s.norms());
        assertEquals(5, s.readers().size(), "q|k|v in_proj ×2, linear1 ×2, the classifier");

        var decoder = SpaceAnalyzer.analyze(NormFolding.fold(Fixtures.get("decoder_rmsnorm").load()).model());
        assertEquals(9, decoder.rotatableStreams().getFirst().readers().size(), "q, k, v, up ×2 and the head");

        var post = NormFolding.fold(Fixtures.get("transformer_postnorm").load());
        assertTrue(post.notes().stream().anyMatch(n -> n.contains("post-norm")), post.notes().toString());
        assertTrue(SpaceAnalyzer.analyze(post.model()).rotatableStreams().isEmpty());

        var relu = analyze("relu_attention");
        assertEquals(1, relu.rotatableStreams().size(), "no norm: the stream rotates as it is");
        assertEquals(0, relu.rotatableStreams().getFirst().norms());
    }

    @ParameterizedTest
    @ValueSource(strings = {"transformer_encoder", "transformer_prenorm", "transformer_postnorm", "relu_attention", "decoder_rmsnorm"})
    void movesPreserveTheFunctionAndUndo(String name) {
        Fixture f = Fixtures.get(name);
        Model original = f.load();
        Model m = NormFolding.fold(original).model();
        double foldError = MoveCheck.worstRelError(original, m, f);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement gl = GroupElement.ofMatrices(MatrixSampling.pairs(a, KAPPA, 1));
        GroupElement scale = GroupElement.ofMatrices(MatrixSampling.headScalings(a, 4, 2));
        GroupElement haar = GroupElement.ofMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HAAR, 3));
        GroupElement hadamard = GroupElement.ofMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HADAMARD, 3));
        double kappa = gl.matrices().stream().mapToDouble(p -> ((PairTransform) p).conditionNumber()).max().orElseThrow();
        assertEquals(KAPPA, kappa, 1e-8 * KAPPA);
        double[] errors = new double[4];
        int i = 0;
        for (GroupElement g : List.of(gl, scale, haar, hadamard)) {
            Model moved = OrbitAction.apply(m, a, g);
            errors[i++] = MoveCheck.worstRelError(original, moved, f);
            if (!g.matrices().isEmpty()) assertTrue(MoveCheck.weightDistance(m, moved) > 0.05, name + ": the move must change weights");
            Model back = OrbitAction.apply(moved, SpaceAnalyzer.analyze(moved), g.inverse(a));
            assertTrue(MoveCheck.weightDistance(m, back) < 1e-5, name + ": undo leaves weights " + MoveCheck.weightDistance(m, back) + " away");
        }
        System.out.printf("attention moves %-22s fold %.1e  GL(d) κ=%.0f %.1e  scaling %.1e  Haar %s  Hadamard %s%n", name, foldError, kappa,
                errors[0], errors[1], haar.matrices().isEmpty() ? "—" : String.format("%.1e", errors[2]),
                hadamard.matrices().isEmpty() ? "—" : String.format("%.1e", errors[3]));
        for (double e : new double[] {foldError, errors[0], errors[1], errors[2], errors[3]}) assertTrue(e <= TOLERANCE, name + ": " + e);
    }

    @Test
    void allKindsTogetherComposeAndInvert() {
        Fixture f = Fixtures.get("decoder_rmsnorm");
        Model m = NormFolding.fold(f.load()).model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), 4)
                .withMatrices(MatrixSampling.pairs(a, KAPPA, 5));
        GroupElement h = GroupElement.ofMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HAAR, 6))
                .withMatrices(MatrixSampling.headScalings(a, 3, 7));
        Model twice = OrbitAction.apply(OrbitAction.apply(m, a, g), a, h);
        Model once = OrbitAction.apply(m, a, h.after(g, a));
        assertTrue(MoveCheck.weightDistance(twice, once) < 1e-5, "h∘g in one move = g then h: " + MoveCheck.weightDistance(twice, once));
        assertTrue(MoveCheck.worstRelError(m, once, f) <= TOLERANCE);
        Model back = OrbitAction.apply(once, SpaceAnalyzer.analyze(once), h.after(g, a).inverse(a));
        assertTrue(MoveCheck.weightDistance(m, back) < 1e-5);
    }

    @Test
    void brokenConstraintsChangeTheFunction() {
        // softmax attention: α_q·α_k = 2 is refused, and applied anyway it changes the outputs
        Fixture f = Fixtures.get("decoder_rmsnorm");
        Model m = f.load();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        var bad = new HeadScaling(0, new double[] {2, 1}, new double[] {1, 1}, new double[] {1, 1});
        assertThrows(IllegalArgumentException.class, () -> GroupElement.ofMatrices(List.of(bad)).validate(a));
        assertTrue(MoveCheck.worstRelError(m, forced(m, a, bad), f) > 1e-3);
        // ReLU attention takes α_q·α_k = 2 exactly, but not a negative product
        Fixture r = Fixtures.get("relu_attention");
        Model rm = r.load();
        SymmetryAnalysis ra = SpaceAnalyzer.analyze(rm);
        var fine = new HeadScaling(0, new double[] {2, 0.5}, new double[] {1, 3}, new double[] {1, 1});
        GroupElement.ofMatrices(List.of(fine)).validate(ra);
        assertTrue(MoveCheck.worstRelError(rm, OrbitAction.apply(rm, ra, GroupElement.ofMatrices(List.of(fine))), r) <= TOLERANCE);
        var negative = new HeadScaling(0, new double[] {-2, 1}, new double[] {1, 1}, new double[] {1, 1});
        assertThrows(IllegalArgumentException.class, () -> GroupElement.ofMatrices(List.of(negative)).validate(ra));
        assertTrue(MoveCheck.worstRelError(rm, forced(rm, ra, negative), r) > 1e-3);
        // the post-norm stream is refused, and a rotation applied anyway changes the outputs (its gains block it)
        Fixture p = Fixtures.get("transformer_postnorm");
        Model pm = NormFolding.fold(p.load()).model();
        SymmetryAnalysis pa = SpaceAnalyzer.analyze(pm);
        var rotation = new StreamRotation(1, Matrices.haarOrthogonal(32, new java.util.SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> rotation.validate(pa));
        assertTrue(MoveCheck.worstRelError(pm, forced(pm, pa, rotation), p) > 1e-3);
        // the pre-norm stream before folding: LayerNorm's mean subtraction does not commute with a rotation
        Fixture q = Fixtures.get("transformer_prenorm");
        Model qm = q.load();
        SymmetryAnalysis qa = SpaceAnalyzer.analyze(qm);
        var unfolded = new StreamRotation(0, Matrices.haarOrthogonal(32, new java.util.SplittableRandom(2)));
        assertThrows(IllegalArgumentException.class, () -> unfolded.validate(qa));
        assertTrue(MoveCheck.worstRelError(qm, forced(qm, qa, unfolded), q) > 1e-3);
    }

    /** Applies a part without validation (to show the constraint matters). */
    private static Model forced(Model m, SymmetryAnalysis a, MatrixPart part) {
        Map<String, dev.orbit.tensor.NdArray> params = MatrixAction.apply(m.graph().parameters(), a, List.of(part));
        return m.withGraph(m.graph().withParameters(params));
    }

    @Test
    void elementFilesCarryMatrixParts(@TempDir Path tmp) {
        Model m = NormFolding.fold(Fixtures.get("transformer_prenorm").load()).model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement g = GroupElement.ofMatrices(MatrixSampling.pairs(a, KAPPA, 1))
                .withMatrices(MatrixSampling.headScalings(a, 2, 2))
                .withMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HADAMARD, 3));
        Path file = tmp.resolve("g.json");
        ElementFile.write(file, g, a);
        GroupElement back = (GroupElement) ElementFile.read(file, m, a);
        assertEquals(g.matrices().size(), back.matrices().size());
        assertEquals(0.0, MoveCheck.weightDistance(OrbitAction.apply(m, a, g), OrbitAction.apply(m, a, back)), "JSON keeps every digit");
        // an element made for the folded model does not fit the unfolded one (its stream is not rotatable)
        var other = SpaceAnalyzer.analyze(Fixtures.get("transformer_prenorm").load());
        assertThrows(dev.orbit.graph.ModelFormatException.class, () -> ElementFile.read(file, Fixtures.get("transformer_prenorm").load(), other));
    }
}
