package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import dev.orbit.geometry.LayerIsometry;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.length.EuclideanLengthProduct;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.tensor.NdArray;

/** Finds the length-product layers of a model and says which group acts on each (the isometries of {@link IsometryElement}). */
public final class LengthLayers {
    private LengthLayers() {}

    /** One layer: its node and the geometry of its points. */
    public record Layer(Node node, LayerIsometry.Geometry geometry) {
        public String name() { return node.name(); }
    }

    public static boolean isLengthProduct(Node n) {
        return HyperbolicLengthProduct.DOMAIN.equals(n.domain())
                && (n.opType().equals(HyperbolicLengthProduct.OP) || n.opType().equals(EuclideanLengthProduct.OP));
    }

    /** Every length-product node, in graph order; their weights must be parameters. */
    public static List<Layer> of(Model model) {
        Graph g = model.graph();
        List<Layer> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!isLengthProduct(n)) continue;
            if (n.name().isEmpty()) throw new IllegalArgumentException("a length-product node needs a name (it keys its group element)");
            NdArray w = g.parameter(n.input(1));
            if (w == null) throw new IllegalArgumentException("the weights of " + n.label() + " are not a parameter");
            LayerIsometry.Geometry geo;
            if (n.opType().equals(EuclideanLengthProduct.OP)) geo = new LayerIsometry.Geometry.Line();
            else {
                int dim = (int) w.dim(2);
                geo = HyperbolicLengthProduct.frame(n, dim).length == 2 ? new LayerIsometry.Geometry.Plane()
                        : new LayerIsometry.Geometry.HalfSpace(dim);
            }
            out.add(new Layer(n, geo));
        }
        return out;
    }

    /** A random element: one isometry per layer (keyed by node name), drawn in graph order. */
    public static IsometryElement randomElement(Model model, RandomGenerator rng, double spread) {
        Map<String, LayerIsometry> g = new LinkedHashMap<>();
        for (Layer l : of(model)) g.put(l.name(), LayerIsometry.random(l.geometry(), rng, spread));
        return new IsometryElement(g);
    }
}
