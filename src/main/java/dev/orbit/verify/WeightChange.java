package dev.orbit.verify;

import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;

/** How far a move carried the weights: mean|V−W| / mean|W| over the floating parameters both models share. */
public final class WeightChange {
    private WeightChange() {}

    public static double relative(Model before, Model after) {
        double diff = 0;
        double norm = 0;
        for (var e : before.graph().parameters().entrySet()) {
            NdArray w = e.getValue();
            NdArray v = after.graph().parameter(e.getKey());
            if (!w.dtype().isFloating() || v == null || v.size() != w.size()) continue;
            for (long i = 0; i < w.size(); i++) {
                diff += Math.abs(w.getAsDouble(i) - v.getAsDouble(i));
                norm += Math.abs(w.getAsDouble(i));
            }
        }
        return norm == 0 ? 0 : diff / norm;
    }
}
