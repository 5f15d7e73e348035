package dev.orbit.symmetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.geometry.LayerIsometry;
import dev.orbit.graph.Model;

/**
 * Isometries of the length-product layers, keyed by node name (layers not named stay): each moves its layer's weight
 * points and input frame together ({@link IsometryAction}), so the layer computes the same function.
 */
public record IsometryElement(Map<String, LayerIsometry> layers) implements SymmetryElement {
    public IsometryElement {
        for (var e : layers.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("an isometry element needs a layer name and an isometry per entry");
        }
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers)); // graph order, for files that read well
    }

    /** Per layer: this isometry after {@code first}'s (a layer only one of them names keeps that one's isometry). */
    public IsometryElement after(IsometryElement first) {
        Map<String, LayerIsometry> out = new LinkedHashMap<>(first.layers);
        layers.forEach((name, g) -> out.merge(name, g, (f, t) -> t.compose(f)));
        return new IsometryElement(out);
    }

    public IsometryElement inverse() {
        Map<String, LayerIsometry> out = new LinkedHashMap<>();
        layers.forEach((name, g) -> out.put(name, g.inverse()));
        return new IsometryElement(out);
    }

    @Override public IsometryElement inverse(SymmetryAnalysis a) { return inverse(); }

    /** Checks every named layer is a length-product layer of {@code model} whose geometry this kind of isometry acts on. */
    public void validate(Model model) {
        Map<String, LengthLayers.Layer> byName = new LinkedHashMap<>();
        for (LengthLayers.Layer l : LengthLayers.of(model)) byName.put(l.name(), l);
        for (var e : layers.entrySet()) {
            LengthLayers.Layer l = byName.get(e.getKey());
            if (l == null) throw new IllegalArgumentException("no length-product layer named '" + e.getKey() + "'");
            boolean fits = switch (e.getValue()) {
                case LayerIsometry.Line x -> l.geometry() instanceof LayerIsometry.Geometry.Line;
                case LayerIsometry.Mobius x -> l.geometry() instanceof LayerIsometry.Geometry.Plane;
                case LayerIsometry.HalfSpace(var h) -> l.geometry() instanceof LayerIsometry.Geometry.HalfSpace(int n) && n == h.dimension();
            };
            if (!fits) throw new IllegalArgumentException("layer '" + e.getKey() + "' cannot be moved by " + LayerIsometry.kind(e.getValue()));
        }
    }
}
