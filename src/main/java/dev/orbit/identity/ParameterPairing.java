package dev.orbit.identity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.tensor.NdArray;

/**
 * Pairs the weights of two models that may differ in node and parameter names and in opset: by name when every
 * weight of the reference has a namesake of the same shape in the other model, otherwise by position — the
 * floating-point parameters with more than one entry, in the order the graph's non-rewrite nodes first read them,
 * must agree in number and shapes. Teleport rewrite constants (read only by rewrite {@code Mul}s) are not weights.
 */
final class ParameterPairing {
    private ParameterPairing() {}

    /** Reference parameter name → the other model's tensor. */
    static Map<String, NdArray> pair(Model reference, Model other) {
        List<String> a = weights(reference.graph());
        List<String> b = weights(other.graph());
        Map<String, NdArray> out = new LinkedHashMap<>();
        boolean byName = true;
        for (String n : a) {
            NdArray x = other.graph().parameter(n);
            if (x == null || !java.util.Arrays.equals(x.shape(), reference.graph().parameter(n).shape())) {
                byName = false;
                break;
            }
            out.put(n, x);
        }
        if (byName) return out;
        out.clear();
        if (a.size() != b.size()) {
            throw new ModelFormatException("the models do not have the same weights: " + a.size() + " against " + b.size()
                    + " weight tensors (after skipping rewrite constants)");
        }
        for (int i = 0; i < a.size(); i++) {
            long[] sa = reference.graph().parameter(a.get(i)).shape();
            long[] sb = other.graph().parameter(b.get(i)).shape();
            if (!java.util.Arrays.equals(sa, sb)) {
                throw new ModelFormatException("the models do not have the same weights: weight " + (i + 1) + " is " + a.get(i)
                        + " " + java.util.Arrays.toString(sa) + " against " + b.get(i) + " " + java.util.Arrays.toString(sb));
            }
            out.put(a.get(i), other.graph().parameter(b.get(i)));
        }
        return out;
    }

    /** Floating-point parameters of more than one entry, in first-use order, skipping rewrite constants. */
    static List<String> weights(Graph g) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node n : g.nodes()) {
            if (n.isRewrite()) continue;
            for (String in : n.inputs()) {
                NdArray p = g.parameter(in);
                if (p == null || !p.dtype().isFloating() || p.size() <= 1 || !seen.add(in)) continue;
                out.add(in);
            }
        }
        return out;
    }
}
