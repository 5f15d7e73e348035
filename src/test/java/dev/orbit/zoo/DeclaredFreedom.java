package dev.orbit.zoo;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.Inputs;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.VerifyReport;

/**
 * The two checks of the mutation property, on any model and any analysis of it (so a test can hand it a wrong one):
 * everything the analysis declares free moves at once (inter r = 0.9 factors and permutations on every free space,
 * per-head GL(d) and head scalings on every attention pair, a rotation of every rotatable stream) and the move must
 * verify in ONNX Runtime under the noise rule; and everything it keeps fixed says why.
 */
final class DeclaredFreedom {
    static final double RANGE = 0.9;
    static final int SAMPLES = 4;

    private DeclaredFreedom() {}

    /** The random element that moves everything {@code a} declares free. */
    static GroupElement everything(SymmetryAnalysis a, long seed) {
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, RANGE, 0), seed);
        if (!a.pairs().isEmpty()) {
            g = g.withMatrices(MatrixSampling.pairs(a, 10, seed ^ 0x51)).withMatrices(MatrixSampling.headScalings(a, 2, seed ^ 0x52));
        }
        if (!a.rotatableStreams().isEmpty()) g = g.withMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HAAR, seed ^ 0x53));
        return g;
    }

    /** Moves everything {@code a} declares free and verifies the move against the model's own float32 noise. */
    static VerifyReport moveAndVerify(Model m, SymmetryAnalysis a, long seed) {
        Model moved = OrbitAction.apply(m, a, everything(a, seed));
        return Orbit.of(m, "mutated").compareWith(Orbit.of(moved, "moved"), Inputs.random(SAMPLES).seed(seed), NoiseRule.MOVE);
    }

    /** Every fixed part of {@code a} that gives no reason (empty when all do). */
    static List<String> missingReasons(SymmetryAnalysis a) {
        List<String> out = new ArrayList<>();
        for (NeuronSpace s : a.spaces()) {
            if (!s.classPermutable() && blank(s.permReason())) out.add("space " + s.id() + " (" + s.origin() + ") is not permutable and says not why");
            if (s.scaling() == Scaling.NONE && blank(s.scaleReason())) out.add("space " + s.id() + " (" + s.origin() + ") is not scalable and says not why");
        }
        for (ResidualStream r : a.streams()) {
            if (!r.rotatable() && blank(r.reason())) out.add("stream " + r.id() + " (" + r.origin() + ") does not rotate and says not why");
        }
        return out;
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }
}
