package dev.orbit.verify;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;

/**
 * How far a move carried the weights. The global figure, mean|V−W| / mean|W| over the floating parameters both
 * models share, is dominated by the largest tensors in absolute value (one BatchNorm variance of 3.6e7 can hold
 * 99.98 % of Σ|W| and hide conv weights that doubled); {@link #perTensor} adds ‖V−W‖/‖W‖ tensor by tensor.
 */
public final class WeightChange {
    private WeightChange() {}

    /**
     * ‖V−W‖₂/‖W‖₂ per parameter tensor: median and max over the floating tensors of at least two entries that both
     * models share with a non-zero norm (single numbers such as ε or a scalar factor are left out), with the tensor
     * of the max and the number of tensors that changed at all.
     */
    public record PerTensor(double median, double max, String maxTensor, int tensors, int changed) {}

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

    public static PerTensor perTensor(Model before, Model after) {
        List<Double> ratios = new ArrayList<>();
        double max = 0;
        String maxName = "";
        int changed = 0;
        for (var e : before.graph().parameters().entrySet()) {
            NdArray w = e.getValue();
            NdArray v = after.graph().parameter(e.getKey());
            if (!w.dtype().isFloating() || w.size() < 2 || v == null || v.size() != w.size()) continue;
            double diff = 0;
            double norm = 0;
            for (long i = 0; i < w.size(); i++) {
                double a = w.getAsDouble(i);
                double d = a - v.getAsDouble(i);
                diff += d * d;
                norm += a * a;
            }
            if (norm == 0) continue;
            double r = Math.sqrt(diff / norm);
            ratios.add(r);
            if (r > 0) changed++;
            if (r > max || maxName.isEmpty()) {
                max = r;
                maxName = e.getKey();
            }
        }
        if (ratios.isEmpty()) return new PerTensor(0, 0, "", 0, 0);
        ratios.sort(null);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        return new PerTensor(median, max, maxName, n, changed);
    }
}
