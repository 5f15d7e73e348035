package dev.orbit.ops;

import java.util.List;
import java.util.Locale;

import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.numeric.NormalTrapezoid;

/**
 * An elementwise activation: one input, an output of the same shape, computed value by value. Besides the
 * op's rules it declares what every other part of Orbit needs to know about the function, so that the network
 * builder, the spec parser, the initialisers, the kernels and the Jacobian code all take activations from here
 * (one vocabulary, {@link Activation}): φ and φ′ in float64 and on tensors, positive homogeneity, whether φ′
 * only takes the values 0 and 1, the initialisation gain, and the infinite-width kernel rule (Gauss–Hermite
 * quadrature over φ and φ′ unless the op has a closed form). A subclass needs {@link #apply(Tensor, Attributes)},
 * {@link #phi} and {@link #derivative(double, double)}; the rest has defaults.
 *
 * <p>The activation view may take one number ({@link #takesParameter}, e.g. LeakyReLU's slope), kept in float64:
 * {@link #attributes} turns it into the node attributes the graph stores.
 */
public abstract class ElementwiseOp implements Op, WidensHalfInputs {
    private final String opType;

    protected ElementwiseOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    // ---------------------------------------------------------------- op rules

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    /** Under the half policy the input is widened a block at a time ({@link HalfBlocks#elementwise}). */
    @Override
    public boolean widensItself(int i) { return i == 0; }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        if (HalfBlocks.isHalf(x) && HalfBlocks.withoutGrad(x)) {
            return OpSupport.one(HalfBlocks.elementwise(x, block -> apply(block, node.attributes())));
        }
        return OpSupport.one(apply(HalfBlocks.widened(x), node.attributes()));
    }

    /** φ on a tensor with libtorch ops, for a node with these attributes (ONNX defaults where absent). */
    protected abstract Tensor apply(Tensor x, Attributes at);

    /**
     * A member of an activation region: rewritten as τ·φ(x/τ) under a change of basis, except that a positively
     * homogeneous φ commutes with positive factors.
     */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.region(node, positivelyHomogeneous()); }

    // ---------------------------------------------------------------- the function (activation view)

    /** φ(x) in float64. */
    public abstract double phi(double x, double parameter);

    /** φ′(x) in float64 (at a kink, the value libtorch's autograd uses). */
    public abstract double derivative(double x, double parameter);

    /** φ on a tensor for an activation's parameter. */
    public Tensor apply(Tensor x, double parameter) { return apply(x, attributes(parameter)); }

    /** φ′ on a tensor; by default libtorch's autograd of {@link #apply(Tensor, double)}. */
    public Tensor derivative(Tensor x, double parameter) {
        try (AutoGradMode on = new AutoGradMode(true)) {
            Tensor leaf = x.detach().clone().requires_grad_(true);
            Tensor y = apply(leaf, parameter);
            TensorVector g = torch.grad(new TensorVector(y.sum()), new TensorVector(leaf), new TensorVector(),
                    new BoolOptional(false), false, true);
            Tensor d = g.get(0);
            return d.defined() ? d.detach() : torch.zeros_like(x);
        }
    }

    /** φ(τx) = τφ(x) for τ > 0 (ReLU, LeakyReLU, identity). */
    public boolean positivelyHomogeneous() { return false; }

    /** φ′ only takes the values 0 and 1 (ReLU, hard-tanh, identity): D² is then a Bernoulli diagonal. */
    public boolean kinked(double parameter) { return false; }

    /**
     * The gain that keeps activations' variance through a layer, as He/Xavier initialisers use it: PyTorch's
     * {@code calculate_gain} where it has one; 1 by default.
     */
    public double gain(double parameter) { return 1; }

    // ---------------------------------------------------------------- kernel rule

    /** The NNGP/NTK rule of the activation; Gauss–Hermite quadrature of the given order unless overridden. */
    public KernelRule kernelRule(Activation a, int quadratureOrder) { return new QuadratureKernel(a, quadratureOrder); }

    /** E[φ(√q·u)²], u ~ N(0, 1), for q > 0: the diagonal of the NNGP (trapezoid rule unless overridden). */
    public double meanSquare(Activation a, double q) {
        return NormalTrapezoid.forScale(q).expect(u -> square(a.phi(Math.sqrt(q) * u)));
    }

    /** d/dq E[φ(√q·u)²] = E[φ·φ′·u]/√q. */
    public double meanSquareDq(Activation a, double q) {
        double s = Math.sqrt(q);
        return NormalTrapezoid.forScale(q).expect(u -> a.phi(s * u) * a.derivative(s * u) * u) / s;
    }

    /** E[φ′(√q·u)²]: the diagonal of Σ̇, the factor one layer contributes to the NTK and the Jacobian. */
    public double meanSlopeSquared(Activation a, double q) {
        double s = Math.sqrt(Math.max(q, 0));
        return NormalTrapezoid.forScale(q).expect(u -> square(a.derivative(s * u)));
    }

    protected static double square(double x) { return x * x; }

    // ---------------------------------------------------------------- vocabulary

    /** The names a spec or an option uses for this activation, canonical first; empty for none. */
    public List<String> names() { return List.of(opType.toLowerCase(Locale.ROOT)); }

    /** Whether the name may be followed by a number (e.g. "leakyrelu0.1"). */
    public boolean takesParameter() { return false; }

    /** How the parameter is called in messages, e.g. SLOPE. */
    public String parameterName() { return "VALUE"; }

    /** The parameter when a name has none (NaN for ops without one). */
    public double defaultParameter() { return Double.NaN; }

    /** The activation for the text after the name ("" when there is none). */
    public Activation activation(String parameterText) {
        if (parameterText.isEmpty()) return new Activation(this, defaultParameter());
        if (!takesParameter()) throw new IllegalArgumentException("activation " + names().getFirst() + " takes no parameter");
        double p;
        try {
            p = Double.parseDouble(parameterText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(names().getFirst() + " " + parameterName().toLowerCase(Locale.ROOT) + " '"
                    + parameterText + "' is not a number (e.g. " + names().getFirst() + "0.1)");
        }
        if (!Double.isFinite(p)) throw new IllegalArgumentException(names().getFirst() + " " + parameterName().toLowerCase(Locale.ROOT) + " must be finite");
        return new Activation(this, p);
    }

    /** The node attributes for an activation's parameter. */
    public Attributes attributes(double parameter) { return Attributes.NONE; }

    /** The canonical spec text, e.g. "relu" or "leakyrelu0.1". */
    public String name(double parameter) { return names().getFirst(); }

    /** The name the analyses print (kernel rules, Jacobian reports); the spec name unless overridden. */
    public String label(double parameter) { return name(parameter); }

    /** Writes the activation after value {@code x} into a graph being built; returns its output value. */
    public String write(NodeWriter w, String name, String x, double parameter) {
        return w.node(name, opType, attributes(parameter), x);
    }
}
