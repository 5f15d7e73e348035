package dev.orbit.ops;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;

/**
 * One room per op: everything Orbit knows about one ONNX operator (over the opsets where its semantics hold):
 * its shape rule, its evaluation with libtorch ops (so autograd differentiates it) and its symmetry rule.
 * Elementwise activations also carry φ, φ′ and an infinite-width kernel rule ({@link ElementwiseOp}). An op
 * takes effect once it is in an {@link OpRegistry}.
 */
public interface Op {
    /** The ONNX op type, e.g. "Relu". */
    String opType();

    /** The operator-set domain: "" for standard ONNX, else e.g. Orbit's own "dev.orbit". */
    default String domain() { return ""; }

    /**
     * The first opset of {@link #domain()} whose semantics this class implements. Where an op's meaning changed
     * (Clip's bounds became inputs at 11, Softmax's axis at 13), each version is its own class and the registry
     * picks the one with the largest {@code sinceVersion} not above the model's opset.
     */
    default long sinceVersion() { return 1; }

    /** Output types from input types; throws {@link dev.orbit.graph.ShapeException} on inconsistent shapes. */
    List<ValueType> infer(Node node, InferContext ctx);

    /** Evaluates the node with libtorch ops. */
    List<Tensor> evaluate(Node node, EvalContext ctx);

    /**
     * The symmetry rule: how neuron spaces pass through the node, which parameter axes they touch and where a move
     * must stop, stated through the analysis' primitives. By default every input is frozen, which is always safe.
     */
    default void spaceRule(Node node, SpaceRules rules) { rules.freezeUnknown(node); }
}
