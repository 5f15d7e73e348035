package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.ones_like;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.NodeWriter;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * Identity: the input unchanged (tracked integer values included). As an activation it is "linear", and a
 * network built with it has no node there.
 */
public final class Identity extends PiecewiseLinearOp {
    public Identity() { super("Identity"); }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) { return OpSupport.one(ctx.require(node, 0)); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return new Tensor(x); }

    @Override
    public Tensor apply(Tensor x, double parameter) { return x; }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.pass(node); }

    @Override
    double negativeSlope(double parameter) { return 1; }

    @Override
    public double phi(double x, double parameter) { return x; }

    @Override
    public Tensor derivative(Tensor x, double parameter) { return ones_like(x); }

    @Override
    public boolean kinked(double parameter) { return true; }

    @Override
    public List<String> names() { return List.of("linear"); }

    @Override
    public String write(NodeWriter w, String name, String x, double parameter) { return x; }
}
