package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.div;
import static org.bytedeco.pytorch.global.torch.trunc;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.Role;
import dev.orbit.ops.SpaceRules;

/** Div; integer division truncates, as ONNX specifies. */
public final class Div extends BinaryArithmeticOp {
    public Div() { super("Div"); }

    /** rounding_mode strings do not survive JavaCPP's string_view; truncate by hand (exact below 2^53). */
    @Override
    Tensor apply(Tensor a, Tensor b) {
        return OpSupport.isIntegral(a) ? trunc(div(a.to(ScalarType.Double), b.to(ScalarType.Double))).to(a.scalar_type().intern())
                : div(a, b);
    }

    @Override
    Long fold(long a, long b) { return b == 0 ? 0 : a / b; }

    @Override
    boolean keepsSymbol(Dim q) { return q.isKnown() && q.size() == 1; }

    /** Division by a constant is a product; c/x or x/h(x) is elementwise and rewritten with its region. */
    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        Layout la = rules.layout(n.input(0));
        Layout lb = rules.layout(n.input(1));
        if (la != null && lb == null && rules.isParam(n.input(1))) {
            if (rules.perChannelOrScalar(n, n.input(0), n.input(1), la, Role.PERMUTE_ONLY)) rules.setLayout(n.output(0), la);
        } else if (la != null && lb == null && !rules.isParam(n.input(1))) {
            // (τx)/f = τ(x/f); permutations pass only if f is the same for every channel
            if (!rules.sameForEveryChannel(n.input(1), n.output(0), la)) rules.forbidPermutation(la, label(n) + ": divides by a fixed tensor that differs between channels");
            rules.setLayout(n.output(0), la);
        } else {
            rules.region(n, false); // c/x or x/h(x): elementwise, rewritten
        }
    }
}
