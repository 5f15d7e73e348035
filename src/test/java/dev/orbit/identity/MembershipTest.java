package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.orbit.Inputs;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.BatchNormFolding;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.HeadScaling;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;

/** Exact recovery of random moves (a few per model here; bench/identity-figures.sh recovery runs 100). */
class MembershipTest {
    /** Condition number of the random per-head GL(d) blocks. */
    static final double KAPPA = 10;

    static GroupElement move(SymmetryAnalysis a, long seed) {
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 1), seed);
        if (!a.pairs().isEmpty()) {
            g = g.withMatrices(MatrixSampling.pairs(a, KAPPA, seed ^ 7)).withMatrices(MatrixSampling.headScalings(a, 2, seed ^ 11));
        }
        return g;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixtures/mlp_relu", "fixtures/mlp_gelu", "fixtures/resnet_block", "fixtures/densenet_block",
            "fixtures/mobilenetv3_block", "fixtures/se_gate", "fixtures/cnn_bn", "fixtures/transformer_prenorm",
            "fixtures/transformer_postnorm", "fixtures/decoder_rmsnorm", "zoo/gpt2_op13", "zoo/vit_b_16_op13",
            "zoo/paddle_attention_op11", "zoo/mobilenet_v3_small_op13", "zoo/detector_op13", "fixtures/relu_attention"})
    void recoversRandomMovesExactly(String name) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/" + name + ".onnx"));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        for (long seed = 1; seed <= 2; seed++) {
            GroupElement g = move(a, seed);
            Membership.Result r = Membership.compare(m, OrbitAction.apply(m, a, g));
            assertEquals(Membership.Verdict.SAME, r.verdict(), name + " residuals " + r.residuals());
            assertTrue(r.maxResidual() <= r.sameThreshold());
            GroupElement h = r.element();
            for (var e : g.permutations().entrySet()) {
                assertArrayEquals(e.getValue(), h.permutation(e.getKey(), e.getValue().length), name + " class " + e.getKey());
            }
            for (NeuronSpace s : a.spaces()) {
                if (!g.scales().containsKey(s.id())) continue;
                double[] t = g.scale(s.id(), s.size());
                double[] u = h.scale(s.id(), s.size());
                for (int j = 0; j < t.length; j++) assertEquals(t[j], u[j], 1e-6 * Math.abs(t[j]), name + " space " + s.id());
            }
        }
    }

    /**
     * Rotated residual streams (`orbit teleport --rotate-residual`): the original file against a copy of it with norm
     * gains folded, moved and every rotatable stream rotated by a Haar Q. Where the stream's first writers and last
     * readers do not span it (the fixtures: width 32, 16 inputs, 10 outputs) its map comes back in closed form from the
     * invariant products (StreamInvariants); the zoo models' embeddings span theirs. Either way the map equals the
     * move's P·Q within 1e-6 per entry (measured ≤ 3e-8), the other classes' permutations are the move's and the
     * scales agree to 1e-6.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fixtures/decoder_rmsnorm", "fixtures/transformer_prenorm", "zoo/gpt2_op13", "zoo/llama_op17", "zoo/vit_b_16_op13"})
    void recoversRotatedStreamsExactly(String name) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/" + name + ".onnx"));
        Model base = dev.orbit.symmetry.NormFolding.fold(m).model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(base);
        assertTrue(!a.rotatableStreams().isEmpty(), name + " has no rotatable stream after folding");
        java.util.Set<Integer> streamClasses = new java.util.HashSet<>();
        for (var st : a.rotatableStreams()) streamClasses.addAll(RotatedMoves.streamClasses(a, st));
        long moves = name.startsWith("fixtures/") ? 2 : 1;
        for (long seed = 1; seed <= moves; seed++) {
            GroupElement g = RotatedMoves.rotated(a, move(a, seed), seed);
            Model b = OrbitAction.apply(base, a, g);
            Membership.Result r = Membership.compare(m, b);
            assertEquals(Membership.Verdict.SAME, r.verdict(), name + " residuals " + r.residuals());
            assertTrue(r.folded(), name + ": the element refers to the folded model");
            GroupElement h = r.element();
            for (var st : a.rotatableStreams()) {
                double err = RotatedMoves.maxAbsDifference(RotatedMoves.streamMatrix(h, a, st), RotatedMoves.streamMatrix(g, a, st));
                assertTrue(err <= 1e-6, name + " stream " + st.id() + ": max |Q_rec − P·Q| = " + err);
            }
            for (var e : g.permutations().entrySet()) {
                if (streamClasses.contains(e.getKey())) continue;
                assertArrayEquals(e.getValue(), h.permutation(e.getKey(), e.getValue().length), name + " class " + e.getKey());
            }
            for (NeuronSpace s : a.spaces()) {
                if (!g.scales().containsKey(s.id()) || streamClasses.contains(s.permClass())) continue;
                double[] t = g.scale(s.id(), s.size());
                double[] u = h.scale(s.id(), s.size());
                for (int j = 0; j < t.length; j++) assertEquals(t[j], u[j], 1e-6 * Math.abs(t[j]), name + " space " + s.id());
            }
        }
    }

    /**
     * relu_attention has no norms, so a rotated copy also scales its stream (M = D·Q), and its one invariant product
     * spreads the rows poorly. Splitting the least-squares M into D·Q by its row norms knew the map only to ≈ 1e-6:
     * fitting each query–key block on the query side alone sent that error, amplified by κ(A) ≈ 10, into the key side
     * (seeds 1004, 1008 and 1018 of the rotated table, bench/identity-figures.sh, the same move recipe: "near" at
     * 4.6–8.1e-6 against the 3.8e-6 bar; JointPairFit balanced the two sides), and on seeds 1059 and 1081 the split
     * explained the rows only to 1.0e-5 and 1.7e-5, the closed form was rejected, and the stream, decided from four
     * direct blocks that do not span it, came out wrong ("not the same orbit", residual 83 and 2.3e3). D·Q is now fitted
     * to the rows themselves (ScaledRotationFit): map within ≈ 1.6e-7, "same".
     */
    @ParameterizedTest
    @ValueSource(longs = {1000, 1004, 1008, 1018, 1059, 1081})
    void reluAttentionRotatedCopiesAreTheSameOrbit(long seed) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/fixtures/relu_attention.onnx"));
        Model base = dev.orbit.symmetry.NormFolding.fold(m).model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(base);
        assertTrue(!a.rotatableStreams().isEmpty(), "relu_attention has no rotatable stream");
        GroupElement move = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 1), seed)
                .withMatrices(MatrixSampling.pairs(a, 10, seed ^ 0x51ED270B27L)).withMatrices(MatrixSampling.headScalings(a, 2, seed ^ 0x2545F491L));
        GroupElement g = RotatedMoves.rotated(a, move, seed);
        Membership.Result r = Membership.compare(m, OrbitAction.apply(base, a, g));
        assertEquals(Membership.Verdict.SAME, r.verdict(), "seed " + seed + " residuals " + r.residuals());
        assertTrue(r.maxResidual() <= r.sameThreshold(), "seed " + seed + ": " + r.maxResidual());
        for (var st : a.rotatableStreams()) {
            double err = RotatedMoves.maxAbsDifference(RotatedMoves.streamMatrix(r.element(), a, st), RotatedMoves.streamMatrix(g, a, st));
            // the closed form's accuracy on this scaled stream (≈ 1.6e-7); a wrong sign or swap is O(0.1)
            assertTrue(err <= 1e-6, "seed " + seed + " stream " + st.id() + ": max |M_rec − P·D·Q| = " + err);
        }
    }

    /** A rotated copy written as `orbit teleport --rotate-residual` writes it: "same orbit", and g·A verifies against it in ONNX Runtime. */
    @Test
    void rotatedCopyVerifiesInOnnxRuntime() {
        var original = Orbit.load(Path.of("src/test/resources/fixtures/decoder_rmsnorm.onnx"));
        var moved = original.move(dev.orbit.Moves.teleport().permute().seed(5).rotateResidual(MatrixSampling.Rotation.HAAR)).network();
        var same = original.sameOrbitAs(moved);
        assertEquals(Membership.Verdict.SAME, same.verdict(), same.result().residuals().toString());
        assertTrue(same.verify(Inputs.random(4)).passedAndFinite());
    }

    /**
     * ReLU attention: per-head factors with α_q·α_k ≠ 1 lie outside GL(d) (relu(c·s) = c·relu(s), the output rows
     * take 1/c). The recovered element carries them: its head factor α_q·α_k is the move's, and g·A verifies in ORT.
     */
    @Test
    void reluAttentionHeadFactorsAreRecovered() {
        Model m = OnnxImporter.read(Path.of("src/test/resources/fixtures/relu_attention.onnx"));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement g = move(a, 3);
        var moved = g.matrices().stream().filter(x -> x instanceof HeadScaling).map(HeadScaling.class::cast).findFirst().orElseThrow();
        double spread = 0;
        for (int h = 0; h < moved.key().length; h++) spread = Math.max(spread, Math.abs(Math.log(moved.query()[h] * moved.key()[h])));
        assertTrue(spread > 0.05, "the move must scale some head's scores: " + spread);
        Model b = OrbitAction.apply(m, a, g);
        var same = Orbit.of(m, "a").sameOrbitAs(Orbit.of(b, "b"));
        assertEquals(Membership.Verdict.SAME, same.verdict(), same.result().residuals().toString());
        var found = same.result().element().matrices().stream().filter(x -> x instanceof HeadScaling).map(HeadScaling.class::cast).findFirst().orElseThrow();
        for (int h = 0; h < moved.key().length; h++) {
            double want = moved.query()[h] * moved.key()[h];
            assertEquals(want, found.query()[h] * found.key()[h], 1e-6 * want, "head " + h);
        }
        assertTrue(same.verify(Inputs.random(4)).passedAndFinite());
    }

    /**
     * detector_op13's upsampling channels are read by a one-output conv, whose columns hold one entry per channel: a
     * slice that cannot tell units apart. The class must wait for its 64-entry slices (it was matched by ties, 0 of 5
     * moves recovered); the canonical form had 6 tied units for the same reason.
     */
    @Test
    void oneEntrySlicesDoNotDecideAPermutation() {
        Model m = OnnxImporter.read(Path.of("src/test/resources/zoo/detector_op13.onnx"));
        assertEquals(0, CanonicalForm.of(m).tiedUnits());
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement g = move(a, 1001);
        var same = Orbit.of(m, "a").sameOrbitAs(Orbit.of(OrbitAction.apply(m, a, g), "b"));
        assertEquals(Membership.Verdict.SAME, same.verdict(), same.result().residuals().toString());
        for (var e : g.permutations().entrySet()) {
            assertArrayEquals(e.getValue(), same.result().element().permutation(e.getKey(), e.getValue().length), "class " + e.getKey());
        }
        assertTrue(same.verify(Inputs.random(4)).passedAndFinite());
    }

    /**
     * BatchNorm folding before matching: a model against its moved copy with every Conv → BatchNorm folded (and the
     * other way round) is "same orbit"; g acts on A with its BatchNorms folded and verifies against B in ORT.
     * detector_op13 keeps one BatchNorm after a ConvTranspose on both sides.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fixtures/cnn_bn", "zoo/detector_op13"})
    void batchNormFoldedCopyIsTheSameOrbit(String name) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/" + name + ".onnx"));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Model moved = OrbitAction.apply(m, a, move(a, 4));
        BatchNormFolding.Result folded = BatchNormFolding.fold(moved);
        assertTrue(folded.folded() >= 2, name + ": " + folded.folded() + " folded");
        var original = Orbit.of(m, name);
        for (var pair : java.util.List.of(java.util.List.of(original, Orbit.of(folded.model(), "folded copy")),
                java.util.List.of(Orbit.of(BatchNormFolding.fold(m).model(), "folded"), Orbit.of(moved, "moved")))) {
            var same = pair.get(0).sameOrbitAs(pair.get(1));
            assertEquals(Membership.Verdict.SAME, same.verdict(), name + " " + same.result().residuals());
            assertEquals(pair.get(0) == original ? folded.folded() : 0, same.result().batchNormsFolded());
            assertTrue(same.verify(Inputs.random(4)).passedAndFinite(), name);
        }
    }

    /**
     * Dead and duplicate units in mlp_relu's first hidden layer: unit 0 dead (zero incoming weights and bias), unit 2 a
     * copy of unit 1 on its incoming weights only, units 3 and 4 copies on everything. The dead unit's place and scale
     * and the copy's place show only in their outgoing weights: both are recovered exactly once the model is aligned.
     * Units 3 and 4 are exactly interchangeable: reported (2 units), and the permutation is the move's up to them.
     */
    @Test
    void deadAndDuplicateUnitsAreResolvedOrReported() {
        Model m0 = OnnxImporter.read(Path.of("src/test/resources/fixtures/mlp_relu.onnx"));
        NeuronSpace s = SpaceAnalyzer.analyze(m0).spaces().stream().filter(x -> x.isFree() && x.classPermutable() && x.size() >= 8)
                .findFirst().orElseThrow();
        var params = new java.util.LinkedHashMap<>(m0.graph().parameters());
        for (ParamTouch t : s.touches()) {
            int n = Math.toIntExact(s.size());
            int[] p = java.util.stream.IntStream.range(0, n).toArray();
            double[] f = Aligner.ones(n);
            p[4] = 3;
            if (t.role() == dev.orbit.ops.Role.COVARIANT) {
                p[2] = 1;
                f[0] = 0;
            }
            Tensor64 w = Tensor64.of(params.get(t.parameter()));
            w.gatherScale(t.axis(), t.offset(), t.repeat(), p, f);
            float[] v = new float[w.data.length];
            for (int i = 0; i < v.length; i++) v[i] = (float) w.data[i];
            params.put(t.parameter(), dev.orbit.tensor.NdArray.ofFloats(v, w.shape));
        }
        Model m = m0.withGraph(m0.graph().withParameters(params));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        for (long seed = 1; seed <= 3; seed++) {
            GroupElement g = move(a, seed);
            var same = Orbit.of(m, "a").sameOrbitAs(Orbit.of(OrbitAction.apply(m, a, g), "b"));
            Membership.Result r = same.result();
            assertEquals(Membership.Verdict.SAME, r.verdict(), "seed " + seed + " " + r.residuals());
            assertEquals(2, r.interchangeableUnits(), "seed " + seed);
            assertArrayEquals(new int[] {3, 4}, r.interchangeable().get(s.permClass()));
            int[] want = g.permutation(s.permClass(), Math.toIntExact(s.size()));
            int[] got = r.element().permutation(s.permClass(), want.length);
            assertTrue(Membership.samePermutation(want, got, r.interchangeable().get(s.permClass())), java.util.Arrays.toString(got));
            double[] tw = g.scale(s.id(), s.size());
            double[] tu = r.element().scale(s.id(), s.size());
            for (int j = 0; j < want.length; j++) {
                if (want[j] != 3 && want[j] != 4) assertEquals(tw[j], tu[j], 1e-6 * Math.abs(tw[j]), "unit " + want[j] + " seed " + seed);
            }
            assertTrue(same.verify(Inputs.random(4)).passedAndFinite());
        }
    }

    @Test
    void recoveredElementVerifiesInOnnxRuntimeAcrossOpsets() {
        var a = Orbit.load(Path.of("src/test/resources/zoo/resnet18_op9.onnx"));
        var other = Orbit.load(Path.of("src/test/resources/zoo/resnet18_op17.onnx"));
        var moved = other.move(dev.orbit.Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(3)).network();
        var same = a.sameOrbitAs(moved);
        assertEquals(Membership.Verdict.SAME, same.verdict(), same.result().residuals().toString());
        assertTrue(same.verify(Inputs.random(4)).passedAndFinite());
    }

    @Test
    void differentModelsAreNotTheSameOrbit() {
        var a = Orbit.load(Path.of("src/test/resources/fixtures/mlp_relu.onnx"));
        var b = Orbit.load(Path.of("src/test/resources/fixtures/mlp_gelu.onnx"));
        assertEquals(Membership.Verdict.DIFFERENT, a.sameOrbitAs(b).verdict());
    }

    @Test
    void noisyCopyIsNear() {
        Model m = OnnxImporter.read(Path.of("src/test/resources/fixtures/mlp_relu.onnx"));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Model b = OrbitAction.apply(m, a, move(a, 5));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        var params = new java.util.LinkedHashMap<>(b.graph().parameters());
        params.replaceAll((k, v) -> {
            float[] f = v.toFloatArray();
            for (int i = 0; i < f.length; i++) f[i] *= (float) (1 + 0.01 * rng.nextGaussian());
            return dev.orbit.tensor.NdArray.ofFloats(f, v.shape());
        });
        Membership.Result r = Membership.compare(m, b.withGraph(b.graph().withParameters(params)));
        assertEquals(Membership.Verdict.NEAR, r.verdict(), r.residuals().toString());
        assertTrue(r.maxResidual() < 0.05, r.residuals().toString());
    }
}
