package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.length.EuclideanLengthProduct;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.symmetry.LengthLayers;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Orbit keeps length-product layers as single {@code dev.orbit} nodes (its own saved form, which it re-imports,
 * evaluates, trains and moves along the orbit). For any other ONNX runtime this writes the same network with each
 * such node expanded into standard ops (opset ≥ 13), in float32 or float64; the expansion is export-only.
 */
public final class StandardOnnx {
    private StandardOnnx() {}

    public static Model expand(Model model, DType dtype) {
        Model m = Precision.convert(model, dtype);
        Graph g = m.graph();
        List<Node> nodes = new ArrayList<>();
        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        for (Node n : g.nodes()) {
            if (!LengthLayers.isLengthProduct(n)) {
                nodes.add(n);
                continue;
            }
            var e = n.opType().equals(EuclideanLengthProduct.OP) ? EuclideanLengthProduct.expand(n, g.parameters(), dtype)
                    : HyperbolicLengthProduct.expand(n, g.parameters(), dtype);
            nodes.addAll(e.nodes());
            params.putAll(e.parameters());
        }
        Set<String> used = new HashSet<>();
        for (Node n : nodes) used.addAll(n.readValues());
        params.keySet().retainAll(used);
        Map<String, Long> opsets = new LinkedHashMap<>(m.opsets());
        opsets.remove(HyperbolicLengthProduct.DOMAIN);
        opsets.put("", Math.max(13, m.opset()));
        return new Model(g.withNodes(nodes, params), opsets, m.info().withMetadata("orbit.form", "standard ONNX (" + dtype.name().toLowerCase() + ")"));
    }
}
