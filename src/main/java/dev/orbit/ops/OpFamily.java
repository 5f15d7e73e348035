package dev.orbit.ops;

import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;

/**
 * One room per op family: everything Orbit knows about a group of related ONNX operators: shape rule,
 * evaluation and symmetry rule. Later issues add kernel rules here as further default methods, so an op stays
 * in one file.
 */
public interface OpFamily {
    /** The ONNX op types this family handles, in {@link #domain()}. */
    Set<String> opTypes();

    /** The operator-set domain of {@link #opTypes()}: "" for standard ONNX, else e.g. Orbit's own "dev.orbit". */
    default String domain() { return ""; }

    /** Output types from input types; throws {@link dev.orbit.graph.ShapeException} on inconsistent shapes. */
    List<ValueType> infer(Node node, InferContext ctx);

    /** Evaluates the node with libtorch ops (so autograd differentiates it). */
    List<Tensor> evaluate(Node node, EvalContext ctx);

    /**
     * The symmetry rule: how neuron spaces pass through the node, which parameter axes they touch and where
     * a move must be restricted, stated through the analyzer's primitives. Ops without a rule freeze their
     * inputs, which is always safe.
     */
    default void spaceRule(Node node, SpaceRules rules) { rules.freezeUnknown(node); }
}
