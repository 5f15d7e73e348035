package dev.orbit;

import java.nio.file.Path;
import java.util.Map;

import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerificationRule;
import dev.orbit.verify.WeightChange;
import dev.orbit.verify.VerifyReport;

/**
 * A moved model that knows where it came from: the original as read, the element that moved it, and the analysis
 * that element refers to (of the original, or of its norm-folded form for residual rotations).
 *
 * <pre>{@code
 * Moved moved = model.move(Moves.teleport(INTER, 0.9).permute().seed(1));
 * VerifyReport report = moved.verify(Inputs.random(16));
 * System.out.print(report.toText());
 * if (report.passedAndFinite()) moved.save(Path.of("out.onnx"));
 * }</pre>
 */
public final class Moved {
    private final Network original;
    private final Network network;
    private final Element element;
    private final Symmetries analysis;
    private final String description;
    private final Map<String, Object> facts;

    Moved(Network original, Network network, Element element, Symmetries analysis, String description, Map<String, Object> facts) {
        this.original = original;
        this.network = network;
        this.element = element;
        this.analysis = analysis;
        this.description = description;
        this.facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
    }

    /** The model as it was before the move (as read, before any preparatory rewrite). */
    public Network original() { return original; }

    /** The moved model. */
    public Network network() { return network; }

    public Element element() { return element; }

    /** The symmetries of the model the element acted on. */
    public Symmetries analysis() { return analysis; }

    /** One line (plus one per attention, folding or rotation part) saying what moved. */
    public String description() { return description; }

    /** Extra figures of the move for JSON output (attention condition number, norm-folding notes, rotation kind). */
    public Map<String, Object> facts() { return facts; }

    /** How far the weights moved: mean|V−W| / mean|W| over the parameters both models share. */
    public double weightChange() { return WeightChange.relative(original.ir(), network.ir()); }

    /** How far each weight tensor moved: median and max of ‖V−W‖/‖W‖, and which tensor moved most. */
    public WeightChange.PerTensor weightChangePerTensor() { return WeightChange.perTensor(original.ir(), network.ir()); }

    /** Original against moved in ONNX Runtime on {@code inputs}, held to {@link Tolerance#MOVE}. */
    public VerifyReport verify(Inputs inputs) { return verify(inputs, Tolerance.MOVE); }

    /** Original against moved in ONNX Runtime on {@code inputs} (made for the original), under {@code rule}. */
    public VerifyReport verify(Inputs inputs, VerificationRule rule) {
        return original.named("original").compareWith(network.named("moved"), inputs, rule);
    }

    /** Writes the moved model as ONNX. */
    public void save(Path file) { network.save(file); }

    /** Writes the element as JSON, to replay it ({@link Moves#apply(Path)}) or undo it ({@code .inverse()}). */
    public void saveElement(Path file) { element.save(file); }
}
