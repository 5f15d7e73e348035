package dev.orbit.ops.constant;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.tensor.NdArray;

/**
 * Constant: value, value_float(s) or value_int(s). The importer turns most into parameters; hand-built graphs may
 * keep them.
 */
public final class Constant implements Op {
    @Override
    public String opType() { return "Constant"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) { return OpSupport.one(ValueType.of(constantValue(node))); }

    private static NdArray constantValue(Node node) {
        var at = node.attributes();
        for (String name : at.map().keySet()) {
            NdArray v = switch (name) {
                case "value" -> at.getTensor("value");
                case "value_float" -> NdArray.ofFloats(new float[] {at.getFloat(name, 0)});
                case "value_floats" -> {
                    float[] f = at.getFloats(name, new float[0]);
                    yield NdArray.ofFloats(f, f.length);
                }
                case "value_int" -> NdArray.ofLongs(new long[] {at.getInt(name, 0)});
                case "value_ints" -> {
                    long[] v2 = at.getInts(name, new long[0]);
                    yield NdArray.ofLongs(v2, v2.length);
                }
                default -> null;
            };
            if (v != null) return v;
        }
        throw new UnsupportedOpException("Constant node '" + node.label() + "': Orbit reads value, value_float(s) and"
                + " value_int(s), not " + at.map().keySet());
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(constantValue(node).toTorch()); }

    /** Constants carry no channel space. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { }
}
