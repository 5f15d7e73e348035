package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.geometry.LayerIsometry;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.length.EuclideanLengthProduct;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.tensor.NdArray;

/**
 * The action of an {@link IsometryElement}: each length-product layer named in the element gets its weight points
 * and frame moved by its isometry (the op room's symmetry rule). Pure: the input model is not changed, untouched
 * parameters are shared. Reached through {@link OrbitAction#apply}.
 */
final class IsometryAction {
    private IsometryAction() {}

    static Model apply(Model model, IsometryElement element) {
        Graph g = model.graph();
        Map<String, LayerIsometry> pending = new HashMap<>(element.layers());
        List<Node> nodes = new ArrayList<>();
        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        for (Node n : g.nodes()) {
            LayerIsometry iso = LengthLayers.isLengthProduct(n) ? pending.remove(n.name()) : null;
            if (iso == null) {
                nodes.add(n);
                continue;
            }
            NdArray w = g.parameter(n.input(1));
            if (w == null) throw new IllegalArgumentException("the weights of " + n.label() + " are not a parameter");
            if (g.consumers(n.input(1)).size() != 1) {
                throw new IllegalArgumentException("the weights of " + n.label() + " are shared with another node; moving them would change it too");
            }
            HyperbolicLengthProduct.Moved moved = n.opType().equals(EuclideanLengthProduct.OP) ? EuclideanLengthProduct.act(n, w, iso)
                    : HyperbolicLengthProduct.act(n, w, iso);
            nodes.add(moved.node());
            params.put(n.input(1), moved.weights());
        }
        if (!pending.isEmpty()) throw new IllegalArgumentException("no length-product layer named " + pending.keySet());
        return model.withGraph(g.withNodes(nodes, params));
    }
}
