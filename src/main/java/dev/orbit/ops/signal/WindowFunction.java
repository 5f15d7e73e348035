package dev.orbit.ops.signal;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/**
 * A cosine-sum window of the length its scalar input gives: w[n] = Σ_k a_k cos(2πkn/N), N the length when
 * {@code periodic} (default 1) and the length − 1 otherwise; computed in float64, returned in
 * {@code output_datatype} (default float32). It reads no neuron space; a size is not a channel.
 */
abstract class WindowFunction implements Op {
    /** The coefficients a_0, a_1, …: the cosine terms' signed weights. */
    abstract double[] coefficients();

    private static DType outputType(Node node) {
        try {
            return DType.fromOnnx((int) node.attributes().getInt("output_datatype", 1));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(node.opType() + " node '" + node.label() + "': " + e.getMessage());
        }
    }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        List<Dim> size = ctx.intValues(0);
        Dim n = size != null && size.size() == 1 ? size.getFirst() : Dim.unknown();
        return OpSupport.one(new ValueType(outputType(node), Shape.of(n)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        long size = ctx.longs(0)[0];
        boolean periodic = node.attributes().getInt("periodic", 1) != 0;
        double period = periodic ? size : size - 1;
        Tensor n = torch.arange(new Scalar(size), new TensorOptions(ScalarType.Double));
        Tensor w = torch.zeros_like(n);
        double[] a = coefficients();
        for (int k = 0; k < a.length; k++) {
            Tensor term = k == 0 ? torch.ones_like(n) : torch.cos(n.mul(new Scalar(2 * Math.PI * k / Math.max(period, 1))));
            w = w.add(term.mul(new Scalar(a[k])));
        }
        return OpSupport.one(w.to(outputType(node).torchType));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, SpaceRules.label(node) + ": a window's length is a size, not a neuron space");
    }
}
