package dev.orbit.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.EvaluationBudget;
import dev.orbit.verify.OrtRunner;

/**
 * Statistics of intermediate values on a calibration batch, run in ONNX Runtime (the values made extra graph
 * outputs): the range an activation quantizer must cover (min/max, or the P-th and (100−P)-th percentiles, which
 * drop outliers), per-channel means (bias correction) and per-channel max |x| (SmoothQuant).
 */
public final class Calibration {
    /** How an activation's range is chosen. */
    public sealed interface Method {
        String describe();
    }

    public record MinMax() implements Method {
        public String describe() { return "minmax"; }
    }

    /** The P-th percentile of the values as the top of the range, the (100−P)-th as the bottom. */
    public record Percentile(double p) implements Method {
        public Percentile {
            if (!(p > 50 && p <= 100)) throw new IllegalArgumentException("a calibration percentile must lie in (50, 100], got " + p);
        }

        public String describe() { return "percentile:" + p; }
    }

    public static Method parse(String text) {
        if (text.equals("minmax")) return new MinMax();
        if (text.startsWith("percentile:")) {
            try {
                return new Percentile(Double.parseDouble(text.substring("percentile:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--calibrate percentile:P wants a number, got '" + text + "'");
            }
        }
        throw new IllegalArgumentException("--calibrate is minmax or percentile:P, got '" + text + "'");
    }

    private Calibration() {}

    /** The values of {@code names} (and the outputs) on {@code feeds}. */
    public static Map<String, NdArray> values(Model m, List<String> names, Map<String, NdArray> feeds) {
        EvaluationBudget.check(m, feeds);
        Graph g = m.graph();
        Map<String, ValueType> types = ShapeInference.infer(m);
        List<ValueInfo> outs = new ArrayList<>(g.outputs());
        var have = new LinkedHashSet<String>();
        g.outputs().forEach(o -> have.add(o.name()));
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (String n : names) {
            if (feeds.containsKey(n)) out.put(n, feeds.get(n));
            else if (g.isParameter(n)) out.put(n, g.parameter(n));
            else if (have.add(n)) outs.add(new ValueInfo(n, types.get(n)));
        }
        Graph probe = new Graph(g.name(), g.inputs(), outs, g.nodes(), g.parameters(), g.valueInfo(), g.docString());
        Map<String, NdArray> all;
        try (OrtRunner r = new OrtRunner(m.withGraph(probe))) {
            all = r.run(feeds);
        }
        for (String n : names) if (!out.containsKey(n)) out.put(n, all.get(n));
        return out;
    }

    /** [lo, hi] of a tensor's values, widened to include 0 (so that zero is exact on the grid). */
    public static double[] range(NdArray x, Method method) {
        double[] v = x.toDoubleArray();
        double lo, hi;
        switch (method) {
            case MinMax mm -> {
                lo = Double.POSITIVE_INFINITY;
                hi = Double.NEGATIVE_INFINITY;
                for (double d : v) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
            case Percentile p -> {
                double[] s = v.clone();
                Arrays.sort(s);
                hi = s[Math.min(s.length - 1, (int) Math.floor(p.p() / 100 * (s.length - 1)))];
                lo = s[Math.max(0, (int) Math.ceil((1 - p.p() / 100) * (s.length - 1)))];
            }
        }
        return new double[] {Math.min(lo, 0), Math.max(hi, 0)};
    }

    /** Per-channel statistic over every axis but {@code axis}: the mean, or with {@code absMax} the max |x|. */
    public static double[] perChannel(NdArray x, int axis, boolean absMax) {
        double[] v = x.toDoubleArray();
        long[] shape = x.shape();
        int c = Math.toIntExact(shape[axis]);
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        double[] out = new double[c];
        long count = v.length / c;
        for (int i = 0; i < v.length; i++) {
            int ch = (int) ((i / inner) % c);
            out[ch] = absMax ? Math.max(out[ch], Math.abs(v[i])) : out[ch] + v[i] / count;
        }
        return out;
    }
}
