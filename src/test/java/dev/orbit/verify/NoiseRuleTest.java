package dev.orbit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.Inputs;
import dev.orbit.Moves;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** The noise rule: a float64 reference, the original's own float32 error as the bar, moves judged against it. */
class NoiseRuleTest {
    private static final Path DETECTOR = Path.of("src/test/resources/zoo/detector_op13.onnx");
    private static final Path RESNET = Path.of("src/test/resources/zoo/resnet18_op13.onnx");
    private static final Path VIT = Path.of("src/test/resources/zoo/vit_b_16_op13.onnx");

    @Test
    void theFloat64ReferenceIsFloat64AndCloseToFloat32() {
        for (Path p : new Path[] {DETECTOR, RESNET}) {
            Model m = OnnxImporter.read(p);
            Network n = Orbit.load(p);
            Map<String, NdArray> feeds = Inputs.random(4).feeds(n);
            NdArray ref = Float64Reference.run(m, feeds).values().iterator().next();
            NdArray f32 = n.runInOnnxRuntime(feeds).values().iterator().next();
            assertEquals(DType.FLOAT64, ref.dtype(), p.toString());
            double own = OutputComparison.of("out", ref, f32).maxRelError();
            System.out.printf("%s: float32 (onnxruntime) vs float64 (orbit) %.2e%n", p.getFileName(), own);
            assertTrue(own > 0 && own < 1e-5, p + ": own float32 error " + own);
        }
    }

    @Test
    void aTeleportPassesAndReportsBothNumbersPerOutput() {
        Network n = Orbit.load(DETECTOR);
        var moved = n.move(Moves.teleport(dev.orbit.symmetry.Sampling.Kind.INTER, 0.9).permute().seed(3));
        VerifyReport r = moved.verify(Inputs.random(8), NoiseRule.MOVE);
        assertTrue(r.passedAndFinite(), r.toText());
        assertEquals(1, r.noise().size());
        NoiseCheck c = r.noise().getFirst();
        assertTrue(c.ownError() > 0 && c.movedError() > 0, r.toText());
        assertEquals(c.movedError() / c.ownError(), c.ratio(), 1e-12);
        assertEquals(16 * c.ownError() + 1e-6, c.allowed(), 1e-18);
        assertTrue(r.toText().contains("own_error"), r.toText());
    }

    @Test
    void aMoveThatChangesTheFunctionFails() {
        Network n = Orbit.load(RESNET);
        Model m = OnnxImporter.read(RESNET);
        Map<String, NdArray> params = new LinkedHashMap<>(m.graph().parameters());
        String w = "fc.weight";
        NdArray broken = params.get(w).copy();
        for (long i = 0; i < broken.size(); i += 7) broken.setAsDouble(i, broken.getAsDouble(i) * 1.0001); // 1e-4: far above float32 noise
        params.put(w, broken);
        Network candidate = Orbit.of(m.withGraph(m.graph().withParameters(params)), "broken");
        VerifyReport r = n.compareWith(candidate, Inputs.random(8), NoiseRule.MOVE);
        assertFalse(r.passed(), r.toText());
        assertTrue(r.noise().getFirst().ratio() > 16, r.toText());
    }

    @Test
    void degenerateOutputsAreNamed() {
        NdArray flat = NdArray.ofDoubles(new double[] {2e-5, 2e-5, 2.0000001e-5}, 3);
        String why = NoiseVerification.degenerate(flat, 0);
        assertTrue(why.contains("close to zero") && why.contains("nearly constant") && why.contains("only the floor"), why);
        assertEquals("", NoiseVerification.degenerate(NdArray.ofDoubles(new double[] {-1, 0.5, 2}, 3), 1e-7));
    }

    @Test
    void anOutputThatIgnoresItsInputIsFlagged() {
        // torchvision zero-initialises ViT's classifier: with that head (the zoo's ViT had it until make_zoo.py gave the
        // head random weights) the logits are the head's bias for every image, and their verification proves little
        Model vit = OnnxImporter.read(VIT);
        Map<String, NdArray> params = new LinkedHashMap<>(vit.graph().parameters());
        NdArray w = params.get("heads.head.weight");
        params.put("heads.head.weight", NdArray.ofFloats(new float[Math.toIntExact(w.size())], w.shape()));
        Network blind = Orbit.of(vit.withGraph(vit.graph().withNodes(vit.graph().nodes(), params)), "vit, zero head");
        VerifyReport r = blind.move(Moves.teleport(dev.orbit.symmetry.Sampling.Kind.INTER, 0.9).permute()).verify(Inputs.random(4), NoiseRule.MOVE);
        assertTrue(r.noise().getFirst().degenerate().contains("does not depend on the input"), r.toText());

        // the zoo's ViT reads its patches: nothing to flag, and float32 has an error of its own
        VerifyReport real = Orbit.load(VIT).move(Moves.teleport(dev.orbit.symmetry.Sampling.Kind.INTER, 0.9).permute())
                .verify(Inputs.random(4), NoiseRule.MOVE);
        assertEquals("", real.noise().getFirst().degenerate(), real.toText());
        assertTrue(real.noise().getFirst().ownError() > 0 && real.passedAndFinite(), real.toText());
    }

    @Test
    void theRuleRejectsMeaninglessParameters() {
        assertThrows(IllegalArgumentException.class, () -> new NoiseRule(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new NoiseRule(16, -1));
        assertThrows(IllegalArgumentException.class, () -> new NoiseRule(Double.NaN, 0));
    }
}
