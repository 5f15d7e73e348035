package dev.orbit.ops;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;

/** What evaluation offers one node: its input tensors, the opset and the mode. */
public interface EvalContext {
    /** The i-th input, or null when the optional input is absent. */
    Tensor input(int i);

    int inputCount();

    long opset();

    /** True while training (BatchNorm uses batch statistics, Dropout drops). Inference by default. */
    default boolean training() { return false; }

    /**
     * Runs a sub-graph of this node (If's branches, Loop's and Scan's bodies) on {@code inputs}, one per sub-graph
     * input, in the enclosing graph's scope: the sub-graph reads the values it does not define from there. Returns
     * its outputs in order; each is the caller's to keep.
     */
    default java.util.List<Tensor> runSubgraph(dev.orbit.graph.Graph body, java.util.List<Tensor> inputs) {
        throw new UnsupportedOperationException("this evaluation does not run sub-graphs");
    }

    /**
     * The declared or inferred element type of the i-th input, or null when unknown. Tensors alone cannot tell int4
     * from int8 (both evaluate as libtorch int8), so ops whose result depends on it (QuantizeLinear's grid) ask here.
     */
    default dev.orbit.tensor.DType inputType(int i) { return null; }

    /** The i-th input, failing with a message naming the node if it is absent. */
    default Tensor require(Node node, int i) {
        Tensor t = input(i);
        if (t == null) throw new ModelFormatException(node.opType() + " node '" + node.label() + "' needs input " + i);
        return t;
    }

    /** The i-th input read as a vector of integers (shapes, axes, indices), or null when absent. */
    default long[] longs(int i) {
        Tensor t = input(i);
        if (t == null) return null;
        return dev.orbit.tensor.NdArray.fromTorch(t.to(org.bytedeco.pytorch.global.torch.ScalarType.Long)).toLongArray();
    }
}
