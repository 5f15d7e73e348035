package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.neg;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Neg: −x; negates tracked integer values; the channels pass (a sign commutes with every factor). */
public final class Neg extends UnaryArithmeticOp {
    public Neg() { super("Neg", true); }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        return OpSupport.one(new ValueType(a.dtype(), a.shape(), negate(a)));
    }

    private static List<Dim> negate(ValueType a) {
        if (!a.hasIntValues() || !a.intValues().stream().allMatch(Dim::isKnown)) return null;
        return a.intValues().stream().map(d -> Dim.of(-d.size())).toList();
    }

    @Override
    Tensor apply(Tensor a) { return neg(a); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.pass(node); }
}
