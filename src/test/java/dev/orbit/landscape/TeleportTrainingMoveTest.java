package dev.orbit.landscape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.numeric.RelativeError;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * The teleport at initialisation of every architecture of the paper grid is a real, exact move: it changes the weights
 * by a large factor, keeps the function in ONNX Runtime under the noise rule (inference: running statistics), and keeps
 * the function training sees (BatchNorm with batch statistics) to float32 tolerance. The pseudo-teleport shifts each
 * tensor by the teleport's L1 size.
 */
class TeleportTrainingMoveTest {
    private static final int DIGITS = 16;

    @ParameterizedTest
    @ValueSource(strings = {"mlp:784-128-128-10:relu", "cnn:1x28x28-c16-p-c32-p-fc64-10:relu", "cnn:1x28x28-c16x2-p-c32x2-p-fc64-10:relu",
            "resnet:1x28x28-16x2-32x2-10:relu", "resnet:1x28x28-16x2-32x2-10:tanh"})
    void teleportAtInitialisationIsExactInInferenceAndTraining(String arch) {
        Model model = NetworkBuilder.build(ArchSpec.parse(arch), Initializer.parse("kaiming"), 0);
        SymmetryAnalysis a = TeleportTraining.analysis(model);
        GroupElement g = TeleportTraining.element(a, 0.9, 0);
        Model moved = TeleportTraining.move(model, a, g, TeleportTraining.Arm.TELEPORT, 0);

        double change = relativeL1Change(model, moved);
        assertTrue(change > 0.1, arch + ": the teleport barely moves the weights (relative L1 change " + change + ")");
        NdArray x = digits(arch);
        VerifyReport r = Verifier.compareInOrt(model, "init", moved, "teleported", Map.of(model.graph().inputs().getFirst().name(), x),
                DIGITS + " test digits", NoiseRule.MOVE);
        assertTrue(r.passedAndFinite(), arch + ": " + r.toText());
        double training = trainingModeError(model, moved, x);
        System.out.printf("%s: relative L1 weight change %.3f; ONNX Runtime %s; training-mode max rel error %.2e (tolerance %.0e)%n",
                arch, change, r.toText().lines().filter(l -> l.contains("PASS") || l.contains("FAIL")).findFirst().orElse(""),
                training, Tolerance.MOVE.maxRelativeError());
        assertTrue(training <= Tolerance.MOVE.maxRelativeError(), arch + ": with batch statistics the teleported net differs by " + training);

        Model pseudo = TeleportTraining.move(model, a, g, TeleportTraining.Arm.PSEUDO, 0);
        for (var e : model.graph().parameters().entrySet()) {
            double tele = l1(e.getValue(), moved.graph().parameter(e.getKey()));
            double shift = l1(e.getValue(), pseudo.graph().parameter(e.getKey()));
            assertEquals(tele, shift, 1e-3 * tele + 1e-6, arch + ": pseudo-teleport's L1 size of " + e.getKey());
        }
    }

    /**
     * Why BatchNorm sites are rewritten: Orbit's inference form (scale the convolution, the running mean and β) keeps the
     * running-statistics function (the analysis' own tests check that in ONNX Runtime) but not the one training sees,
     * where the batch statistics cancel the convolution's factor.
     */
    @Test
    void theInferenceFormOfABatchNormMoveIsNotExactWhileTraining() {
        Model model = NetworkBuilder.build(ArchSpec.parse("resnet:1x28x28-16x2-32x2-10:relu"), Initializer.parse("kaiming"), 0);
        SymmetryAnalysis inference = SpaceAnalyzer.analyze(model);
        Model moved = OrbitAction.apply(model, inference, TeleportTraining.element(inference, 0.9, 0));
        NdArray x = digits("resnet:");
        double training = trainingModeError(model, moved, x);
        System.out.printf("resnet, Orbit's inference form of the move: training-mode max rel error %.2e%n", training);
        assertTrue(training > 1e-2, "the inference-form move was expected to change the training-mode function, error " + training);
        assertFalse(TeleportTraining.analysis(model).equals(inference), "the training-mode analysis rewrites the BatchNorm sites");
    }

    /** After some Adam steps (BatchNorm's running statistics no longer at their initial values) the teleport is exact in both modes too. */
    @Test
    void aMidTrainingTeleportOfTheResNetIsExactInBothModes() {
        Model model = NetworkBuilder.build(ArchSpec.parse("resnet:1x28x28-16x2-32x2-10:relu"), Initializer.parse("kaiming"), 0);
        SymmetryAnalysis a = TeleportTraining.analysis(model);
        MnistData d = MnistData.bundled(MnistData.Split.TRAIN).head(128);
        NdArray x = digits("resnet:");
        try (Batches train = new Batches(d.images().reshape(128, 1, 28, 28), d.labels());
             Batches test = new Batches(x, java.util.Arrays.copyOf(MnistData.bundled(MnistData.Split.TEST).labels(), DIGITS));
             TrainableModel m = new TrainableModel(model); Optimizer opt = new Optimizer.Adam(0.9, 0.999, 1e-8, 0)) {
            Trainer.fit(m, opt, train, test, new Trainer.Config(1, 32, 0.001, new Schedule.Constant(), 0, new Loss.CrossEntropy(), true), (st, tm, o) -> {});
            // a training-mode pass updates the running statistics: take it first, so both inference passes see the same ones
            double[] trainingBefore = outputs(m, x, true);
            double[] inferenceBefore = outputs(m, x, false);
            Trainer.teleport(m, opt, a, TeleportTraining.element(a, 0.9, 0));
            double inference = RelativeError.max(inferenceBefore, outputs(m, x, false));
            double training = RelativeError.max(trainingBefore, outputs(m, x, true));
            System.out.printf("resnet after 4 Adam steps, teleported: max rel error %.2e (running statistics), %.2e (batch statistics)%n", inference, training);
            assertTrue(inference <= Tolerance.MOVE.maxRelativeError() && training <= Tolerance.MOVE.maxRelativeError(), inference + ", " + training);
        }
    }

    private static double[] outputs(TrainableModel m, NdArray x, boolean training) {
        try (PointerScope _ = new PointerScope()) {
            return NdArray.fromTorch(m.forwardOne(x.toTorch(), training).detach()).toDoubleArray();
        }
    }

    private static NdArray digits(String arch) {
        MnistData d = MnistData.bundled(MnistData.Split.TEST).head(DIGITS);
        return arch.startsWith("mlp") ? d.images() : d.images().reshape(DIGITS, 1, 28, 28);
    }

    /** Max relative output error of {@code moved} against {@code model}, both with batch statistics on the same batch. */
    private static double trainingModeError(Model model, Model moved, NdArray x) {
        try (PointerScope _ = new PointerScope(); TrainableModel m = new TrainableModel(model); TrainableModel v = new TrainableModel(moved)) {
            double[] a = NdArray.fromTorch(m.forwardOne(x.toTorch(), true).detach()).toDoubleArray();
            double[] b = NdArray.fromTorch(v.forwardOne(x.toTorch(), true).detach()).toDoubleArray();
            return RelativeError.max(a, b);
        }
    }

    private static double relativeL1Change(Model model, Model moved) {
        double num = 0;
        double den = 0;
        for (var e : model.graph().parameters().entrySet()) {
            num += l1(e.getValue(), moved.graph().parameter(e.getKey()));
            for (float v : e.getValue().toFloatArray()) den += Math.abs(v);
        }
        return num / den;
    }

    private static double l1(NdArray a, NdArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += Math.abs(y[i] - x[i]);
        return s;
    }
}
