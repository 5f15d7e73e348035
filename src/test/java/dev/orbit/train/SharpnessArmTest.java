package dev.orbit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.landscape.SymmetryTeleport;
import dev.orbit.landscape.SymmetryTeleportExperiment;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * The symmetry-teleport experiment's sharpness arm as it is pinned (Hutchinson's trace with one Rademacher probe on
 * the first {@link SymmetryTeleportExperiment#SHARPNESS_SAMPLE} digits of the 64-digit batch, the shared steps and
 * learning rate) is a descent of the curvature, not a fit to its one probe on its few digits: at a Kaiming start of
 * an MLP and a CNN the move lowers the trace estimated with 8 other probes on the 48 digits of the batch it did not
 * read, and it verifies in ONNX Runtime on the whole batch.
 */
class SharpnessArmTest {
    private static final int BATCH = 64;
    private static final int HELD_OUT_PROBES = 8;

    /** The experiment's MLP, and a narrower CNN than its own (third-order autograd through Conv is slow on 2 cores). */
    @ParameterizedTest
    @ValueSource(strings = {SymmetryTeleportExperiment.MLP, "cnn:1x28x28-c4-p-c8-p-fc16-10:relu"})
    void thePinnedTeleportLowersTheTraceOnHeldOutProbesAndDigits(String arch) {
        var config = new SymmetryTeleportExperiment().defaults();
        Teleporter.Spec spec = SymmetryTeleport.sharpnessSpec(config);
        int sample = spec.sample();
        assertTrue(sample > 0 && sample < BATCH, "the pinned arm reads a subsample: " + spec);
        MnistData digits = MnistData.bundled(MnistData.Split.TRAIN).head(BATCH);
        long[] shape = arch.startsWith("cnn") ? new long[] {BATCH, 1, 28, 28} : new long[] {BATCH, 784};
        Model start = NetworkBuilder.build(ArchSpec.parse(arch), Initializer.parse("kaiming"), 0);
        Teleporter.Event[] event = new Teleporter.Event[1];
        var teleporter = new Teleporter(spec, SpaceAnalyzer.analyze(start), e -> event[0] = e);
        long[] order = new long[BATCH];
        for (int i = 0; i < BATCH; i++) order[i] = i;
        try (Batches train = new Batches(digits.images().reshape(shape), digits.labels());
             TrainableModel model = new TrainableModel(start); Optimizer sgd = new Optimizer.Sgd(0, false, 0)) {
            teleporter.before(0, model, sgd, train, order, 0, BATCH);
        }
        Teleporter.Event e = event[0];
        assertTrue(e.result().after() < e.result().before(), "the teleport's own estimate: " + e.result());

        // the experiment verifies on the whole batch, not on the sample the objective read
        assertEquals(BATCH, e.x().dim(0));
        VerifyReport r = Verifier.compareInOrt(e.before(), "before", e.after(), "after", Map.of(start.graph().inputs().getFirst().name(), e.x()),
                "64 digits", Tolerance.MOVE);
        assertTrue(r.passedAndFinite(), r.toText());

        NdArray heldX = rows(e.x(), sample, BATCH), heldY = rows(e.y(), sample, BATCH);
        Objective heldOut = Objective.hessianTrace(heldX, heldY, new Loss.CrossEntropy(), HELD_OUT_PROBES, 1_000);
        double before = valueAt(e.before(), heldOut), after = valueAt(e.after(), heldOut);
        // measured: MLP held-out 130.455 → 130.209 (−0.19 %; its own one-probe estimate 155.9 → 146.9, −5.7 %: most of
        // that is the probe), small CNN held-out 110.04 → 87.65 (−20 %; own 75.4 → 39.3)
        assertTrue(after < before * (1 - 1e-3), arch + ": held-out trace " + before + " → " + after + " (own estimate " + e.result().before()
                + " → " + e.result().after() + ")");
    }

    @Test
    void sampleIsATeleportOption() {
        assertEquals(16, Teleporter.Spec.parse("trace:every=500:steps=5:sample=16").sample());
        assertEquals(0, Teleporter.Spec.parse("trace").sample(), "the whole batch by default");
        assertEquals("trace:every=500:steps=5:lr=0.05:bound=4.0:sample=16", Teleporter.Spec.parse("trace:every=500:steps=5:sample=16").toString());
        assertThrows(IllegalArgumentException.class, () -> Teleporter.Spec.parse("trace:sample=-1"));
        assertThrows(IllegalArgumentException.class, () -> Teleporter.Spec.parse("trace:sample=x"));
    }

    /** The objective's value at the model's own weights (no group coordinates, so no third-order backward). */
    private static double valueAt(Model m, Objective o) {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> w = OrbitPoint.float64Parameters(m);
            List<String> trainable = OrbitOptimizer.trainableNames(m);
            for (String n : trainable) w.get(n).set_requires_grad(true);
            return o.value(new OrbitPoint(m, new Evaluator(m, StandardOps.registry()), w, trainable)).item_double();
        }
    }

    private static NdArray rows(NdArray a, long from, long to) {
        long[] shape = a.shape();
        long row = NdArray.count(shape) / shape[0] * a.dtype().byteSize;
        shape[0] = to - from;
        return NdArray.wrap(a.dtype(), shape, a.segment().asSlice(from * row, (to - from) * row)).copy();
    }
}
