package dev.orbit.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Hidden values of a model and the neuron spaces they carry, found without reading node names or op types: the model
 * is moved by a random permutation of every channel-by-channel class (a probe) and evaluated on a few inputs next to
 * the original; a value carries a space on an axis when the probe's value equals the original's gathered by the
 * space's channel permutation along that axis (and differs from it ungathered). This finds pre-activations,
 * post-activations and normalised values alike, for any graph the analysis understands.
 */
final class Activations {
    /** A value whose {@code axis} is {@code space}'s channel axis. */
    record Site(String value, int axis, NeuronSpace space) {}

    private static final int PROBE_SAMPLES = 8;
    private static final double MATCH = 1e-4;

    private Activations() {}

    /** Every (value, axis) that carries a channel-by-channel space of a permutable class, in node order. */
    static List<Site> sites(SymmetryAnalysis analysis, Model model, NdArray data) {
        Map<Integer, int[]> perms = new TreeMap<>();
        SplittableRandom rng = new SplittableRandom(0x5eed);
        List<NeuronSpace> spaces = new ArrayList<>();
        for (NeuronSpace s : analysis.spaces()) {
            if (!s.permutable() || s.permBlock() != 1 || s.permTiles() != 1) continue;
            spaces.add(s);
            perms.computeIfAbsent(s.permClass(), c -> derangement(Math.toIntExact(s.classSize()), rng));
        }
        if (spaces.isEmpty()) return List.of();
        Model probe = OrbitAction.apply(model, analysis, new GroupElement(perms, Map.of()));
        List<String> hidden = hiddenValues(model);
        NdArray x = rows(data, 0, Math.min(PROBE_SAMPLES, data.dim(0)));
        Map<String, NdArray> mine = run(model, hidden, x);
        Map<String, NdArray> moved = run(probe, hidden, x);
        List<Site> out = new ArrayList<>();
        for (String v : hidden) {
            NdArray u = mine.get(v);
            NdArray w = moved.get(v);
            if (u == null || w == null || !u.dtype().isFloating()) continue;
            double[] du = u.toDoubleArray();
            double[] dw = w.toDoubleArray();
            if (close(du, dw)) continue; // unmoved by the probe
            long[] shape = u.shape();
            for (int axis = 1; axis < shape.length; axis++) {
                for (NeuronSpace s : spaces) {
                    if (s.size() != shape[axis]) continue;
                    int[] ch = s.channelPermutation(perms.get(s.permClass()));
                    if (close(gather(du, shape, axis, ch), dw)) out.add(new Site(v, axis, s));
                }
            }
        }
        return out;
    }

    /** Runs {@code model} on {@code x} and returns the named values (every hidden value requested becomes an output). */
    static Map<String, NdArray> run(Model model, List<String> values, NdArray x) { return run(evaluator(model, values), x); }

    /** An evaluator of {@code model} whose outputs include the named hidden values (built once, run on many batches). */
    static Evaluator evaluator(Model model, List<String> values) {
        Graph g = model.graph();
        Map<String, ValueType> types = ShapeInference.infer(model);
        List<ValueInfo> outs = new ArrayList<>(g.outputs());
        for (String v : values) {
            if (g.outputs().stream().noneMatch(o -> o.name().equals(v))) outs.add(new ValueInfo(v, types.getOrDefault(v, ValueType.unknown(DType.FLOAT32))));
        }
        Graph wide = new Graph(g.name(), g.inputs(), outs, g.nodes(), g.parameters(), g.valueInfo(), g.docString());
        return new Evaluator(model.withGraph(wide));
    }

    static Map<String, NdArray> run(Evaluator e, NdArray x) {
        return e.run(Map.of(e.model().graph().inputs().getFirst().name(), x));
    }

    /** Outputs of the main graph's nodes that are not the model's outputs. */
    static List<String> hiddenValues(Model m) {
        List<String> out = new ArrayList<>();
        var outputs = m.graph().outputs().stream().map(ValueInfo::name).toList();
        for (var n : m.graph().nodes()) for (String o : n.outputs()) if (!o.isEmpty() && !outputs.contains(o)) out.add(o);
        return out;
    }

    /** Rows [from, to) of a batch (axis 0), as float32. */
    static NdArray rows(NdArray data, long from, long to) {
        long[] shape = data.shape();
        long per = NdArray.count(shape) / shape[0];
        float[] all = data.to(DType.FLOAT32).toFloatArray();
        float[] part = java.util.Arrays.copyOfRange(all, Math.toIntExact(from * per), Math.toIntExact(to * per));
        shape[0] = to - from;
        return NdArray.ofFloats(part, shape);
    }

    /** The entries with {@code axis} moved last: [rows = every other index, channels]. */
    static double[] channelsLast(double[] v, long[] shape, int axis) {
        int outer = 1;
        for (int a = 0; a < axis; a++) outer *= Math.toIntExact(shape[a]);
        int c = Math.toIntExact(shape[axis]);
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) inner *= Math.toIntExact(shape[a]);
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < inner; i++) out[((o * inner) + i) * c + k] = v[(o * c + k) * inner + i];
            }
        }
        return out;
    }

    private static double[] gather(double[] v, long[] shape, int axis, int[] p) {
        int outer = 1;
        for (int a = 0; a < axis; a++) outer *= Math.toIntExact(shape[a]);
        int c = Math.toIntExact(shape[axis]);
        int inner = v.length / outer / c;
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < c; j++) System.arraycopy(v, (o * c + p[j]) * inner, out, (o * c + j) * inner, inner);
        }
        return out;
    }

    private static boolean close(double[] a, double[] b) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff <= MATCH * Math.max(scale, 1e-30);
    }

    private static int[] derangement(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        if (n < 2) return p;
        for (int i = 0; i < n; i++) p[i] = (i + 1) % n; // a cycle, then shuffled by conjugation keeps no fixed point
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = r[i];
            r[i] = r[j];
            r[j] = t;
        }
        int[] q = new int[n];
        for (int i = 0; i < n; i++) q[r[i]] = r[p[i]];
        return q;
    }
}
