package dev.orbit;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.identity.CanonicalForm;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerificationRule;
import dev.orbit.verify.VerifyReport;

/**
 * A model's canonical form ({@link Network#canonical()}): the orbit representative that every orbit copy maps to
 * (docs/IDENTITY.md for the rules, ties and limits), and its check against the original in ONNX Runtime.
 */
public final class Canonical {
    private final Network original;
    private final CanonicalForm.Result result;
    private final Network network;

    Canonical(Network original, CanonicalForm.Result result) {
        this.original = original;
        this.result = result;
        this.network = Orbit.of(result.model(), "canonical(" + original.label() + ")");
    }

    public Network network() { return network; }

    public CanonicalForm.Result result() { return result; }

    /** The canonical model against the original in ONNX Runtime, held to {@link Tolerance#MOVE}. */
    public VerifyReport verify(Inputs inputs) { return verify(inputs, Tolerance.MOVE); }

    public VerifyReport verify(Inputs inputs, VerificationRule rule) { return original.compareWith(network, inputs, rule); }

    public Map<String, Object> facts() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("rewrites_undone", result.undoneRewrites());
        f.put("norm_gains_folded", result.folded());
        f.put("streams_rotated", result.streamsRotated());
        f.put("tied_units", result.tiedUnits());
        f.put("dead_units", result.deadUnits());
        f.put("degenerate_bases", result.degenerateBases());
        f.put("balanced", result.balanced());
        f.put("seconds", result.seconds());
        if (!result.notes().isEmpty()) f.put("notes", result.notes());
        return f;
    }
}
