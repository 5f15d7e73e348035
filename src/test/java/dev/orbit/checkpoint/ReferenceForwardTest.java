package dev.orbit.checkpoint;

import static dev.orbit.checkpoint.CheckpointFixtures.maxRelativeError;
import static dev.orbit.checkpoint.CheckpointFixtures.relativeError;
import static dev.orbit.checkpoint.CheckpointFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.orbit.tensor.NdArray;

/**
 * Orbit's float64 forward against the independent plain-torch forward of scripts/make_checkpoints.py.
 *
 * <p>Tolerance 1e-10 (max |Δ| / max |logit| per position): both sides compute in float64 from bit-identical
 * weights, so they differ only by summation order and libm (exp, tanh, erf, cos/sin of the rotary angles), which
 * measures ~1e-15; a structural mistake (wrong rotary pairing, GQA order, norm placement) gives 1e-2 or more. The
 * script's float32 forward is also compared, to show the float32 floor (~1e-7), which the tolerance is far below.
 */
class ReferenceForwardTest {
    static final double TOLERANCE = 1e-10;
    static final java.util.List<String> ALL = CheckpointFixtures.ALL;
    static final java.util.List<String> ROTARY = CheckpointFixtures.ROTARY;

    @ParameterizedTest
    @FieldSource("ALL")
    void float64ForwardMatchesTheIndependentTorchForward(String name) {
        var ref = CheckpointFixtures.reference(name);
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(name))) {
            ReferenceForward f = ReferenceForward.of(c.architecture(), Weights.of(c, ScalarType.Double));
            Forward.Result r = Forward.run(f, ref.tokens(), true);
            assertEquals(ref.logits().length, r.output().dim(1));
            double logits = maxRelativeError(r.output(), ref.logits());
            double floor = maxRelativeError(r.output(), ref.logitsFloat32());
            double hidden = 0;
            assertEquals(ref.hiddenStates().size(), r.hiddenStates().size());
            for (int i = 0; i < r.hiddenStates().size(); i++) {
                hidden = Math.max(hidden, maxRelativeError(r.hiddenStates().get(i), ref.hiddenStates().get(i)));
            }
            System.out.printf("forward %-8s %-5s logits vs torch float64 %.1e, hidden states %.1e; vs torch float32 %.1e%n",
                    name, c.tensors().entry(c.architecture().plan().required().keySet().iterator().next()).type(), logits, hidden, floor);
            assertTrue(logits <= TOLERANCE, name + ": logits differ by " + logits);
            assertTrue(hidden <= TOLERANCE, name + ": hidden states differ by " + hidden);
            assertTrue(floor > logits, "the float32 reference is further away than the float64 one");
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void float32ForwardStaysWithinTheFloat32Floor(String name) {
        var ref = CheckpointFixtures.reference(name);
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(name))) {
            NdArray out = Forward.logits(c, ref.tokens(), ScalarType.Float);
            double err = maxRelativeError(out, ref.logits());
            System.out.printf("forward %-8s float32 vs torch float64 %.1e%n", name, err);
            assertTrue(err < 1e-4, name + ": " + err);
        }
    }

    /**
     * The counter-test: the interleaved pairing (2k, 2k+1) agrees at position 0 (no rotation there) and disagrees
     * everywhere after, so the reference comparison above could not pass with the wrong pairing.
     */
    @ParameterizedTest
    @FieldSource("ROTARY")
    void theWrongRotaryPairingDoesNotMatch(String name) {
        var ref = CheckpointFixtures.reference(name);
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(name))) {
            ReferenceForward wrong = ReferenceForward.of(c.architecture(), Weights.of(c, ScalarType.Double), RopeLayout.INTERLEAVED);
            NdArray out = Forward.run(wrong, ref.tokens(), false).output();
            assertTrue(relativeError(row(out, 0), ref.logits()[0]) <= TOLERANCE, "position 0 is not rotated");
            double smallest = Double.MAX_VALUE;
            for (int t = 1; t < ref.logits().length; t++) smallest = Math.min(smallest, relativeError(row(out, t), ref.logits()[t]));
            System.out.printf("forward %-8s interleaved pairing: smallest error over positions 1.. %.1e%n", name, smallest);
            assertTrue(smallest > 1e-3, name + ": the interleaved pairing must change every later position, smallest change " + smallest);
        }
    }
}
