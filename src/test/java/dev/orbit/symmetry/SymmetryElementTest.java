package dev.orbit.symmetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.Fixtures;
import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.geometry.LayerIsometry;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.hyperbolic.HyperbolicNet;
import dev.orbit.hyperbolic.StandardOnnx;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * The one element type: every kind round-trips through the one file format, old files (orbit-element/1, /2 and the
 * hyperbolic study's untagged files, written by 8065d36's code: scripts/old-elements/) still load and mean what they
 * meant, compose and inverse obey the group laws, and acting on real models keeps their function in ONNX Runtime.
 */
class SymmetryElementTest {
    private static final Path OLD = Path.of("src/test/resources/elements");
    /** Float64 weights, float64 arithmetic on products of a few well-conditioned factors: far below this. */
    private static final double LAW_TOLERANCE = 1e-9;
    /** Float32 weights: every move rounds them to float32 (relative 6e-8 per move, a few moves, condition ≤ 10). */
    private static final double FLOAT32_LAW_TOLERANCE = 1e-5;

    // ------------------------------------------------------------------ the file: every kind round-trips

    @Test
    void neuronSpaceElementWithEveryPartRoundTrips(@TempDir Path tmp) throws Exception {
        Model m = NormFolding.fold(Fixtures.get("transformer_prenorm").load()).model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), 3)
                .withMatrices(MatrixSampling.pairs(a, 4, 1))
                .withMatrices(MatrixSampling.headScalings(a, 2, 2))
                .withMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HAAR, 3));
        assertTrue(!g.permutations().isEmpty() && !g.scales().isEmpty() && g.matrices().size() >= 3, "every part present");
        Path file = tmp.resolve("g.element.json");
        ElementFile.write(file, g, a);
        assertTrue(Files.readString(file).contains("\"orbit-element/3\""));
        GroupElement back = assertInstanceOf(GroupElement.class, ElementFile.read(file, m, a));
        assertEquals(g.permutations().keySet(), back.permutations().keySet());
        g.permutations().forEach((k, p) -> assertArrayEquals(p, back.permutations().get(k)));
        g.scales().forEach((k, t) -> assertArrayEquals(t, back.scales().get(k), 0.0));
        assertEquals(0.0, MoveCheck.weightDistance(OrbitAction.apply(m, a, g), OrbitAction.apply(m, a, back)), "JSON keeps every digit");
        assertEquals(ElementFile.toJson(g, a), ElementFile.toJson(back, a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "h3", "euclid"})
    void isometryElementRoundTrips(String space, @TempDir Path tmp) {
        Model m = hyperbolicNet(space);
        IsometryElement g = LengthLayers.randomElement(m, new SplittableRandom(9), 0.7);
        Path file = tmp.resolve("iso.element.json");
        ElementFile.write(file, g);
        IsometryElement back = assertInstanceOf(IsometryElement.class, ElementFile.read(file, m, SpaceAnalyzer.analyze(m)));
        assertEquals(g.layers().keySet(), back.layers().keySet());
        g.layers().forEach((name, iso) -> assertSameIsometry(iso, back.layers().get(name)));
        assertTrue(MoveCheck.weightDistance(OrbitAction.apply(m, g), OrbitAction.apply(m, back)) < 1e-12, "the loaded element moves alike");
        assertEquals(ElementFile.toJson(back, null), ElementFile.toJson(ElementFile.read(file, m, null), null), "stable once written");
    }

    @Test
    void gaugeElementRoundTrips(@TempDir Path tmp) {
        GaugeElement g = new GaugeElement(2.0, List.of(coefficients(3, 2, 1), coefficients(3, 3, 2)), List.of());
        Path file = tmp.resolve("gauge.element.json");
        ElementFile.write(file, g, null);
        GaugeElement back = assertInstanceOf(GaugeElement.class, ElementFile.read(file, null, null));
        assertEquals(g.endTime(), back.endTime());
        assertEquals(g.factors().size(), back.factors().size());
        for (int f = 0; f < g.factors().size(); f++) assertTrue(java.util.Arrays.deepEquals(g.factor(f), back.factor(f)), "factor " + f);

        // a gauge with the states of an unrolled model is checked against that model's spaces
        Model chain = eulerChain(5);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(chain);
        GaugeElement onModel = diagonalGauge(a, 5);
        Path modelFile = tmp.resolve("chain.element.json");
        ElementFile.write(modelFile, onModel, a);
        GaugeElement loaded = assertInstanceOf(GaugeElement.class, ElementFile.read(modelFile, chain, a));
        assertEquals(onModel.states(), loaded.states());
        assertEquals(0.0, MoveCheck.weightDistance(OrbitAction.apply(chain, a, onModel), OrbitAction.apply(chain, a, loaded)));
        Model mlp = Fixtures.get("mlp_relu").load();
        var refused = assertThrows(ModelFormatException.class, () -> ElementFile.read(modelFile, mlp, SpaceAnalyzer.analyze(mlp)));
        assertTrue(refused.getMessage().contains("was made for another model"), refused.getMessage());
    }

    @Test
    void aFileHoldsOneKind(@TempDir Path tmp) throws Exception {
        Path mixed = tmp.resolve("mixed.json");
        Files.writeString(mixed, "{\"format\": \"orbit-element/3\", \"scales\": {}, \"isometries\": {}}");
        Model m = hyperbolicNet("h2");
        var e = assertThrows(ModelFormatException.class, () -> ElementFile.read(mixed, m, SpaceAnalyzer.analyze(m)));
        assertTrue(e.getMessage().contains("mixes kinds"), e.getMessage());
        Path v2WithIsometries = tmp.resolve("v2.json");
        Files.writeString(v2WithIsometries, "{\"format\": \"orbit-element/2\", \"isometries\": {}}");
        assertThrows(ModelFormatException.class, () -> ElementFile.read(v2WithIsometries, m, SpaceAnalyzer.analyze(m)));
        Path wrongLayer = tmp.resolve("wrong.json");
        Files.writeString(wrongLayer, "{\"lp9\": {\"kind\": \"line\", \"sign\": 1, \"shift\": 0}}");
        var w = assertThrows(ModelFormatException.class, () -> ElementFile.read(wrongLayer, m, SpaceAnalyzer.analyze(m)));
        assertTrue(w.getMessage().contains("no length-product layer named 'lp9'"), w.getMessage());
        Path wrongKind = tmp.resolve("kind.json");
        Files.writeString(wrongKind, "{\"lp1\": {\"kind\": \"line\", \"sign\": 1, \"shift\": 0}}");
        var k = assertThrows(ModelFormatException.class, () -> ElementFile.read(wrongKind, m, SpaceAnalyzer.analyze(m)));
        assertTrue(k.getMessage().contains("cannot be moved by a line isometry"), k.getMessage());
    }

    // ------------------------------------------------------------------ old files still load, and mean the same

    /** orbit-element/1: the permutations and scales of `teleport --permute --seed 7`, as 8065d36 wrote them. */
    @Test
    void version1FileLoadsAndMovesLikeTheTeleportThatWroteIt() {
        Model m = Fixtures.get("mlp_relu").load();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement old = assertInstanceOf(GroupElement.class, ElementFile.read(OLD.resolve("mlp_relu.v1.element.json"), m, a));
        Model teleported = Orbit.of(m, "mlp_relu").move(Moves.teleport().permute().seed(7)).network().ir();
        assertEquals(0.0, MoveCheck.weightDistance(teleported, OrbitAction.apply(m, a, old)));
    }

    /** orbit-element/2: with attention pair transforms and head scalings (`--attention 4`). */
    @Test
    void version2FileLoadsAndMovesLikeTheTeleportThatWroteIt() {
        Model m = Fixtures.get("transformer_prenorm").load();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement old = assertInstanceOf(GroupElement.class, ElementFile.read(OLD.resolve("transformer_prenorm.v2.element.json"), m, a));
        assertTrue(old.matrices().stream().anyMatch(p -> p instanceof PairTransform) && old.matrices().stream().anyMatch(p -> p instanceof HeadScaling));
        Model teleported = Orbit.of(m, "transformer_prenorm").move(Moves.teleport().permute().attention(4).seed(7)).network().ir();
        assertEquals(0.0, MoveCheck.weightDistance(teleported, OrbitAction.apply(m, a, old)));
    }

    /** The hyperbolic orbit study's files had no format tag; they load as isometry elements (H³ from its Lorentz matrix). */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "h3", "euclid"})
    void untaggedHyperbolicFileLoads(String space, @TempDir Path tmp) {
        Model m = hyperbolicNet(space);
        IsometryElement old = assertInstanceOf(IsometryElement.class,
                ElementFile.read(OLD.resolve("hyperbolic-" + space + ".element.json"), m, SpaceAnalyzer.analyze(m)));
        IsometryElement drawn = LengthLayers.randomElement(m, new SplittableRandom(5), 0.5); // what the fixture writer drew
        assertEquals(drawn.layers().keySet(), old.layers().keySet());
        drawn.layers().forEach((name, iso) -> assertSameIsometry(iso, old.layers().get(name)));
        assertTrue(MoveCheck.weightDistance(OrbitAction.apply(m, drawn), OrbitAction.apply(m, old)) < 1e-12);
        Path v3 = tmp.resolve("v3.element.json");
        ElementFile.write(v3, old);
        IsometryElement again = assertInstanceOf(IsometryElement.class, ElementFile.read(v3, m, null));
        old.layers().forEach((name, iso) -> assertSameIsometry(iso, again.layers().get(name)));
    }

    // ------------------------------------------------------------------ compose and inverse

    @Test
    void neuronSpaceElementsObeyTheGroupLaws() {
        Model m = Fixtures.get("mlp_relu").load();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Sampling.Cob cob = new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0);
        List<SymmetryElement> e = List.of(Sampling.both(a, cob, 1), Sampling.both(a, cob, 2), Sampling.both(a, cob, 3));
        // a moved model may carry rewrite Muls: each move analyses the model it moves (space ids stay)
        assertEquals(DType.FLOAT32, m.graph().parameters().values().iterator().next().dtype());
        laws(m, a, e.get(0), e.get(1), e.get(2), (model, g) -> OrbitAction.apply(model, SpaceAnalyzer.analyze(model), g), FLOAT32_LAW_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "h3", "euclid"})
    void isometryElementsObeyTheGroupLaws(String space) {
        Model m = hyperbolicNet(space);
        SplittableRandom rng = new SplittableRandom(21);
        laws(m, null, LengthLayers.randomElement(m, rng, 0.6), LengthLayers.randomElement(m, rng, 0.6),
                LengthLayers.randomElement(m, rng, 0.6), OrbitAction::apply, LAW_TOLERANCE);
    }

    @Test
    void gaugeElementsObeyTheGroupLaws() {
        Model chain = eulerChain(6);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(chain);
        laws(chain, a, diagonalGauge(a, 6, 1), diagonalGauge(a, 6, 2), diagonalGauge(a, 6, 3), (model, g) -> OrbitAction.apply(model, a, g), LAW_TOLERANCE);
        GaugeElement full = new GaugeElement(1.0, List.<double[][][]>of(coefficients(3, 2, 5)), diagonalGauge(a, 6).states());
        var e = assertThrows(IllegalArgumentException.class, () -> OrbitAction.apply(chain, a, full));
        assertTrue(e.getMessage().contains("non-diagonal"), e.getMessage());
    }

    @Test
    void kindsDoNotCompose() {
        Model m = hyperbolicNet("h2");
        SymmetryElement iso = LengthLayers.randomElement(m, new SplittableRandom(1), 0.5);
        SymmetryElement gauge = new GaugeElement(1.0, List.<double[][][]>of(coefficients(2, 1, 1)), List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> iso.compose(gauge, null));
        assertEquals("cannot compose an isometry element with a gauge element", e.getMessage());
    }

    // ------------------------------------------------------------------ act on real models, checked in ONNX Runtime

    @Test
    void everyKindKeepsTheFunctionInOnnxRuntime() {
        // neuron-space: a teleport with permutations of a real ReLU MLP, float32 in ONNX Runtime
        var mlp = Fixtures.get("mlp_relu");
        SymmetryAnalysis a = SpaceAnalyzer.analyze(mlp.load());
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), 4);
        double groupError = MoveCheck.worstRelError(mlp.load(), OrbitAction.apply(mlp.load(), a, g), mlp);
        assertTrue(groupError < 1e-5, "neuron-space element, float32 ONNX Runtime: " + groupError);

        // isometries: H³ length-product network, standard-op export in float64
        Model h3 = hyperbolicNet("h3");
        IsometryElement iso = LengthLayers.randomElement(h3, new SplittableRandom(3), 0.8);
        double isoError = ortError(StandardOnnx.expand(h3, DType.FLOAT64), StandardOnnx.expand(OrbitAction.apply(h3, iso), DType.FLOAT64),
                NdArray.ofDoubles(new SplittableRandom(4).doubles(5 * 6, -1, 1).toArray(), 5, 6));
        assertTrue(isoError < 1e-9, "isometry element, float64 ONNX Runtime: " + isoError);

        // gauge: the unrolled Euler chain (float64), the states rescaled by e^{g(t_k)}
        Model chain = eulerChain(8);
        SymmetryAnalysis ca = SpaceAnalyzer.analyze(chain);
        Model gauged = OrbitAction.apply(chain, ca, diagonalGauge(ca, 8));
        assertTrue(MoveCheck.weightDistance(chain, gauged) > 1e-2, "the weights moved");
        double gaugeError = ortError(chain, gauged, NdArray.ofDoubles(new SplittableRandom(6).doubles(4 * 3, -1, 1).toArray(), 4, 3));
        assertTrue(gaugeError < 1e-12, "gauge element, float64 ONNX Runtime: " + gaugeError);
    }

    // ------------------------------------------------------------------ helpers

    /** Checks inverse and compose on weights: g⁻¹·g = id, (h∘g) = h·(g·m), (k∘h)∘g = k∘(h∘g). */
    private static void laws(Model m, SymmetryAnalysis a, SymmetryElement g, SymmetryElement h, SymmetryElement k,
                             java.util.function.BiFunction<Model, SymmetryElement, Model> act, double tolerance) {
        Model moved = act.apply(m, g);
        assertTrue(MoveCheck.weightDistance(m, moved) > 1e-3, "the element moves the weights");
        assertTrue(MoveCheck.weightDistance(m, act.apply(moved, g.inverse(a))) < tolerance, "g⁻¹ after g is the identity");
        assertTrue(MoveCheck.weightDistance(m, act.apply(m, g.inverse(a).compose(g, a))) < tolerance, "g⁻¹∘g acts as the identity");
        assertTrue(MoveCheck.weightDistance(act.apply(moved, h), act.apply(m, h.compose(g, a))) < tolerance, "h∘g acts as g then h");
        Model left = act.apply(m, k.compose(h, a).compose(g, a));
        Model right = act.apply(m, k.compose(h.compose(g, a), a));
        assertTrue(MoveCheck.weightDistance(left, right) < tolerance, "composition is associative");
        assertTrue(MoveCheck.weightDistance(m, act.apply(m, h.compose(g, a).inverse(a).compose(h.compose(g, a), a))) < tolerance,
                "(h∘g)⁻¹ = g⁻¹∘h⁻¹");
    }

    private static void assertSameIsometry(LayerIsometry want, LayerIsometry got) {
        switch (want) {
            case LayerIsometry.HalfSpace(var w) when got instanceof LayerIsometry.HalfSpace(var g) ->
                    assertTrue(java.util.Arrays.deepEquals(w.toLorentz(), g.toLorentz()), "the same O⁺(n,1) matrix");
            default -> assertEquals(want, got);
        }
    }

    private static double ortError(Model original, Model moved, NdArray x) {
        String in = original.graph().inputs().getFirst().name();
        String out = original.graph().outputs().getFirst().name();
        try (OrtRunner r = new OrtRunner(original); OrtRunner s = new OrtRunner(moved)) {
            return OutputComparison.of(out, r.run(Map.of(in, x)).get(out), s.run(Map.of(in, x)).get(out)).maxRelError();
        }
    }

    /** The networks the old hyperbolic fixtures were drawn for (scripts/old-elements/OldElementFixtures.java). */
    static Model hyperbolicNet(String space) {
        var embedding = space.equals("euclid") ? HyperbolicLengthProduct.Embedding.AFFINE : HyperbolicLengthProduct.Embedding.GEODESIC;
        return HyperbolicNet.build(new HyperbolicNet.Spec(List.of(6, 4, 3), HyperbolicNet.parseSpace(space), embedding), 11);
    }

    /** The transport form of a random linear field ẋ = w(t)x + b(t) in ℝ³ unrolled over {@code steps} Euler steps. */
    private static Model eulerChain(int steps) {
        try (var scope = new org.bytedeco.javacpp.PointerScope(); var noGrad = new org.bytedeco.pytorch.NoGradGuard()) {
            SplittableRandom rng = new SplittableRandom(steps);
            var field = new dev.orbit.ode.LinearField(dev.orbit.ode.GridFunction.random(4, new long[] {3, 3}, 0.8, 1.0, rng),
                    dev.orbit.ode.GridFunction.random(4, new long[] {3}, 0.8, 1.0, rng));
            return dev.orbit.ode.EulerChain.of(field, steps, 1.0).transportModel();
        }
    }

    private static GaugeElement diagonalGauge(SymmetryAnalysis a, int steps) { return diagonalGauge(a, steps, 0); }

    private static GaugeElement diagonalGauge(SymmetryAnalysis a, int steps, long salt) {
        var series = new dev.orbit.ode.SineSeries[3];
        SplittableRandom rng = new SplittableRandom(steps * 31L + salt);
        for (int i = 0; i < 3; i++) series[i] = dev.orbit.ode.SineSeries.random(4, 1.0, 1.0, rng.split());
        return dev.orbit.ode.DiscreteGauge.element(a, series, steps);
    }

    private static double[][][] coefficients(int d, int modes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][][] c = new double[modes][d][d];
        for (double[][] m : c) for (double[] row : m) for (int j = 0; j < d; j++) row[j] = rng.nextDouble(-0.5, 0.5);
        return c;
    }
}
