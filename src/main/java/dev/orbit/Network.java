package dev.orbit;

import java.nio.file.Path;
import java.util.Map;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerificationRule;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * A model opened through {@link Orbit}: Orbit's graph IR plus a label for reports. Immutable; every move returns a
 * new model and leaves this one untouched.
 *
 * <pre>{@code
 * Network model = Orbit.load(Path.of("m.onnx"));
 * System.out.print(model.summary().toText());               // inputs, outputs, ops, parameters
 * VerifyReport own = model.verify(Inputs.random(16));      // Orbit's evaluator against ONNX Runtime
 * }</pre>
 */
public final class Network {
    private final Model model;
    private final String label;
    private Symmetries symmetries;

    Network(Model model, String label) {
        this.model = model;
        this.label = label;
    }

    /** The graph IR (parameters, nodes, opsets) this model wraps. */
    public Model ir() { return model; }

    /** How reports name this model: the file it came from, or the label it was given. */
    public String label() { return label; }

    /** The same model under another label (reports name models by their labels). */
    public Network named(String newLabel) {
        Network n = new Network(model, newLabel);
        n.symmetries = symmetries;
        return n;
    }

    /** The neuron spaces and matrix groups of this model, analysed once and kept. */
    public synchronized Symmetries symmetries() {
        if (symmetries == null) symmetries = new Symmetries(model);
        return symmetries;
    }

    /** What {@code orbit inspect} shows: inputs, outputs, op counts, parameters, opset, metadata. */
    public ModelSummary summary() { return ModelSummary.of(label, model); }

    /** Moves this model along its orbit; see {@link Moves}. Throws {@link MoveException} when the model does not allow it. */
    public Moved move(Move move) { return MoveRunner.run(this, move); }

    /**
     * Whether {@code other} is a move g·this of this model: recovers g (permutations, scalings, attention GL(d),
     * residual rotations) and the residual per weight tensor; see {@link SameOrbit} and docs/IDENTITY.md. Names and
     * opsets may differ; the weights must pair up by name or by order and shape ({@code ModelFormatException} if not).
     */
    public SameOrbit sameOrbitAs(Network other) {
        return new SameOrbit(this, other, dev.orbit.identity.Membership.compare(model, other.model));
    }

    /**
     * This model moved along its orbit toward {@code target} (weight or activation matching, both at balanced points;
     * docs/ALIGNMENT.md): the same function, at the point of its orbit that alignment finds closest to target, so that
     * the two can be interpolated or averaged. The weights must pair up as for {@link #sameOrbitAs}.
     */
    public Moved alignTo(Network target, dev.orbit.identity.Alignment.Options options) {
        var r = dev.orbit.identity.Alignment.align(target.model, model, options);
        Map<String, Object> facts = new java.util.LinkedHashMap<>();
        facts.put("target", target.label);
        facts.put("method", r.method().name().toLowerCase());
        facts.put("balanced", r.balanced());
        facts.put("permutation_classes", r.classes());
        facts.put("sweeps", r.sweeps());
        facts.put("sweep_seconds", r.sweepSeconds());
        facts.put("product_seconds", r.productSeconds());
        facts.put("solver_seconds", r.solverSeconds());
        if (r.method() == dev.orbit.identity.Alignment.Method.ACTIVATIONS) facts.put("activation_seconds", r.activationSeconds());
        facts.put("distance_before", r.distanceBefore());
        facts.put("distance_after", r.distanceAfter());
        facts.put("seconds", r.seconds());
        if (!r.notes().isEmpty()) facts.put("notes", r.notes());
        String description = String.format("aligned %s to %s by %s matching in %.2f s (%d sweeps): distance ||B-A||/||A|| %.4f -> %.4f",
                label, target.label, r.method().name().toLowerCase(), r.seconds(), r.sweeps(), r.distanceBefore(), r.distanceAfter());
        return new Moved(this, Orbit.of(r.aligned(), label), Element.of(r.element(), r.analysis()), new Symmetries(r.reference(), r.analysis()),
                description, facts);
    }

    /** The orbit's canonical representative: the same for every move of this model (docs/IDENTITY.md). */
    public Canonical canonical() { return new Canonical(this, dev.orbit.identity.CanonicalForm.of(model)); }

    /** The orbit-invariant fingerprint: two grid hashes of the canonical form and balanced-point spectra (docs/IDENTITY.md). */
    public dev.orbit.identity.Fingerprint fingerprint() { return dev.orbit.identity.Fingerprint.of(model); }

    /** The licensee's keyed copy: moved by an element derived from HMAC-SHA-256(key, id), no rewrite nodes. */
    public Network license(byte[] key, String id) {
        return new Network(dev.orbit.identity.Licensing.license(model, key, id), label + " licensed to " + id);
    }

    /** Which licensee's copy {@code leaked} is closest to (this model is the original). */
    public dev.orbit.identity.Licensing.Trace traceLicensee(Network leaked, byte[] key, java.util.List<String> ids) {
        return dev.orbit.identity.Licensing.trace(leaked.model, model, key, ids);
    }

    /** Orbit's evaluator against ONNX Runtime on this one model, held to {@link Tolerance#EVALUATOR}. */
    public VerifyReport verify(Inputs inputs) { return verify(inputs, Tolerance.EVALUATOR); }

    /** Orbit's evaluator against ONNX Runtime on this one model; fails early when an op cannot be evaluated. */
    public VerifyReport verify(Inputs inputs, VerificationRule rule) {
        model.graph().nodes().forEach(n -> StandardOps.registry().require(n, model.opset()));
        return Verifier.evaluatorVsOrt(model, label, inputs.feeds(this), inputs.describe(), rule);
    }

    /** This model (the reference) and {@code candidate} in ONNX Runtime on the same inputs, made for this model. */
    public VerifyReport compareWith(Network candidate, Inputs inputs, VerificationRule rule) {
        return Verifier.compareInOrt(model, label, candidate.model, candidate.label, inputs.feeds(this), inputs.describe(), rule);
    }

    /** Runs the model in Orbit's evaluator (libtorch): output name → array. */
    public Map<String, NdArray> run(Map<String, NdArray> feeds) { return new Evaluator(model).run(feeds); }

    /** Runs the model in ONNX Runtime: output name → array. */
    public Map<String, NdArray> runInOnnxRuntime(Map<String, NdArray> feeds) {
        try (OrtRunner r = new OrtRunner(model)) {
            return r.run(feeds);
        }
    }

    /** Writes the model as ONNX (atomically: a temporary file renamed into place). */
    public void save(Path file) { OnnxExporter.write(model, file); }

    /** The model as ONNX bytes. */
    public byte[] toOnnx() { return OnnxExporter.toBytes(model); }

    @Override
    public String toString() { return label; }
}
