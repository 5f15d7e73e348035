package dev.orbit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.identity.Membership;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerificationRule;
import dev.orbit.verify.VerifyReport;

/**
 * The answer to "is B a move of A?" ({@link Network#sameOrbitAs(Network)}): the verdict, the recovered element g
 * (made for A, or for A with its norm gains folded when the streams had to rotate), the residual per weight tensor
 * after moving A by g, and the check of g·A against B in ONNX Runtime.
 *
 * <pre>{@code
 * SameOrbit s = a.sameOrbitAs(b);
 * if (s.verdict() == Membership.Verdict.SAME && s.verify(Inputs.random(16)).passedAndFinite()) s.element().save(Path.of("g.json"));
 * }</pre>
 */
public final class SameOrbit {
    private final Network a;
    private final Network b;
    private final Membership.Result result;
    private Network moved;

    SameOrbit(Network a, Network b, Membership.Result result) {
        this.a = a;
        this.b = b;
        this.result = result;
    }

    public Membership.Verdict verdict() { return result.verdict(); }

    /** Every figure of the alignment (residuals per tensor, distance, floor, timing). */
    public Membership.Result result() { return result; }

    /** The recovered g, for the reference model ({@link #reference()}). */
    public Element element() { return Element.of(result.element(), result.analysis()); }

    /**
     * The model g acts on: A, or A rewritten exactly — its norm gains folded (when the streams rotate), its BatchNorms
     * folded into their Convs (when A and B differ in them).
     */
    public Network reference() {
        List<String> how = new ArrayList<>();
        if (result.folded()) how.add("norm gains folded");
        if (result.batchNormsFolded() > 0) how.add(result.batchNormsFolded() + " BatchNorms folded");
        return how.isEmpty() ? a : Orbit.of(result.reference(), a.label() + " (" + String.join(", ", how) + ")");
    }

    /** g·A. */
    public synchronized Network moved() {
        if (moved == null) moved = Orbit.of(OrbitAction.apply(result.reference(), result.analysis(), result.element()), "g·" + a.label());
        return moved;
    }

    /** g·A against B in ONNX Runtime, held to {@link Tolerance#MOVE}. */
    public VerifyReport verify(Inputs inputs) { return verify(inputs, Tolerance.MOVE); }

    public VerifyReport verify(Inputs inputs, VerificationRule rule) {
        return moved().compareWith(b.named(b.label()), inputs, rule);
    }

    /** The figures as a map for JSON output. */
    public Map<String, Object> facts() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("verdict", switch (result.verdict()) {
            case SAME -> "same orbit";
            case NEAR -> "near";
            case DIFFERENT -> "not the same orbit";
        });
        f.put("max_residual", result.maxResidual());
        f.put("distance_after_alignment", result.distance());
        f.put("float_floor", result.floor());
        f.put("same_threshold", result.sameThreshold());
        f.put("near_threshold", Membership.NEAR_RESIDUAL);
        f.put("norm_gains_folded", result.folded());
        f.put("batch_norms_folded", result.batchNormsFolded());
        f.put("interchangeable_units", result.interchangeableUnits());
        f.put("permuted_classes", result.element().permutations().size());
        f.put("scaled_spaces", result.element().scales().size());
        f.put("matrix_parts", result.element().matrices().size());
        f.put("alignment_seconds", result.seconds());
        f.put("residual_per_tensor", result.residuals());
        if (!result.notes().isEmpty()) f.put("notes", result.notes());
        return f;
    }
}
