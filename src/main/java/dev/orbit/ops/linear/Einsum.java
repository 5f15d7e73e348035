package dev.orbit.ops.linear;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * Einsum with libtorch's einsum: the equation ("ij,jk->ik"; without "->" the output takes the letters that appear
 * once, alphabetically). The shape rule handles explicit outputs without ellipses; otherwise the rank alone.
 */
public final class Einsum implements Op {
    @Override
    public String opType() { return "Einsum"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        String eq = equation(node);
        ValueType first = ctx.require(node, 0);
        String[] sides = eq.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        if (sides.length != 2 || eq.contains("...")) throw new InferContext.UnknownShapeSignal();
        Map<Character, Dim> sizes = new TreeMap<>();
        for (int t = 0; t < terms.length; t++) {
            ValueType in = ctx.require(node, t);
            String term = terms[t];
            if (term.length() != in.rank()) throw OpSupport.shapeError(node, "term '" + term + "' does not match rank " + in.rank());
            for (int i = 0; i < term.length(); i++) {
                Dim d = in.shape().dim(i);
                Dim old = sizes.get(term.charAt(i));
                sizes.put(term.charAt(i), old == null || old.isKnown() && old.size() == 1 ? d : d.isKnown() && d.size() == 1 ? old : OpArgs.unify(node, old, d));
            }
        }
        List<Dim> out = new ArrayList<>();
        for (char c : sides[1].toCharArray()) out.add(sizes.getOrDefault(c, Dim.unknown()));
        return OpSupport.one(new ValueType(first.dtype(), new Shape(out)));
    }

    private static String equation(Node node) {
        String eq = node.attributes().getString("equation", "");
        if (eq.isEmpty()) throw new ModelFormatException("Einsum node '" + node.label() + "' has no equation");
        return eq.replace(" ", "");
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        TensorVector operands = new TensorVector();
        for (int i = 0; i < ctx.inputCount(); i++) operands.push_back(ctx.require(node, i));
        // the equation lives in a buffer kept for the call (libtorch takes a string_view)
        try (BytePointer eq = new BytePointer(equation(node))) {
            return OpSupport.one(torch.einsum(eq, operands));
        }
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": a general contraction (its rule is not written yet)");
    }
}
