package dev.orbit.ops;

import static org.bytedeco.pytorch.global.torch.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;

/**
 * Elementwise arithmetic with numpy broadcasting: Add, Sub, Mul, Div, Pow (binary) and Sqrt, Neg, Abs, Exp,
 * Log, Reciprocal (unary). Integer Div truncates, as ONNX specifies. Small integer vectors (shape
 * arithmetic) are folded during inference so symbolic dimensions survive.
 */
public final class ArithmeticOps implements OpFamily {
    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Pow");

    @Override
    public Set<String> opTypes() {
        return Set.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Neg", "Abs", "Exp", "Log", "Reciprocal");
    }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        if (!BINARY.contains(node.opType())) {
            return OpSupport.one(new ValueType(a.dtype(), a.shape(), node.opType().equals("Neg") ? negate(a) : null));
        }
        ValueType b = ctx.require(node, 1);
        var shape = OpSupport.broadcast(node, a.shape(), b.shape());
        return OpSupport.one(new ValueType(a.dtype(), shape, foldInts(node, ctx)));
    }

    private static List<Dim> negate(ValueType a) {
        if (!a.hasIntValues() || !a.intValues().stream().allMatch(Dim::isKnown)) return null;
        return a.intValues().stream().map(d -> Dim.of(-d.size())).toList();
    }

    /** Folds +,-,×,÷ on small integer vectors when every element is a number; else no values. */
    private static List<Dim> foldInts(Node node, InferContext ctx) {
        List<Dim> x = ctx.intValues(0);
        List<Dim> y = ctx.intValues(1);
        if (x == null || y == null || node.opType().equals("Pow")) return null;
        int n = Math.max(x.size(), y.size());
        if (!(x.size() == n || x.size() == 1) || !(y.size() == n || y.size() == 1)) return null;
        List<Dim> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Dim p = x.get(x.size() == 1 ? 0 : i);
            Dim q = y.get(y.size() == 1 ? 0 : i);
            if (!p.isKnown() || !q.isKnown()) {
                // x·1, x+0 keep a symbol; anything else on a symbol is unknown
                boolean identity = switch (node.opType()) {
                    case "Mul", "Div" -> q.isKnown() && q.size() == 1;
                    case "Add", "Sub" -> q.isKnown() && q.size() == 0;
                    default -> false;
                };
                out.add(identity ? p : Dim.unknown());
                continue;
            }
            long a = p.size();
            long b = q.size();
            out.add(Dim.of(switch (node.opType()) {
                case "Add" -> a + b;
                case "Sub" -> a - b;
                case "Mul" -> a * b;
                default -> b == 0 ? 0 : a / b;
            }));
        }
        return out;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor a = ctx.require(node, 0);
        Tensor y = switch (node.opType()) {
            case "Add" -> add(a, ctx.require(node, 1));
            case "Sub" -> sub(a, ctx.require(node, 1));
            case "Mul" -> mul(a, ctx.require(node, 1));
            case "Div" -> {
                Tensor b = ctx.require(node, 1);
                // rounding_mode strings do not survive JavaCPP's string_view; truncate by hand (exact below 2^53)
                yield isIntegral(a) ? trunc(div(a.to(ScalarType.Double), b.to(ScalarType.Double))).to(a.scalar_type().intern())
                        : div(a, b);
            }
            case "Pow" -> pow(a, ctx.require(node, 1)).to(a.scalar_type());
            case "Sqrt" -> sqrt(a);
            case "Neg" -> neg(a);
            case "Abs" -> abs(a);
            case "Exp" -> exp(a);
            case "Log" -> log(a);
            case "Reciprocal" -> reciprocal(a);
            default -> throw new IllegalStateException(node.opType());
        };
        return OpSupport.one(y);
    }

    static boolean isIntegral(Tensor t) {
        return switch (t.scalar_type().intern().name()) {
            case "Long", "Int", "Char", "Byte", "Short" -> true;
            default -> false;
        };
    }
}
