package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Unique: the distinct elements (no axis: of the flattened input) or distinct slices along {@code axis}, sorted
 * ascending (lexicographically for slices) or, with sorted = 0, in order of first occurrence. Outputs Y, the
 * first occurrence of each, the inverse map (input position → its entry in Y) and the counts, all int64 but Y.
 * Values are compared as float64, which holds every element type Orbit evaluates here exactly but int64 beyond 2⁵³.
 */
public final class Unique implements Op {
    @Override
    public String opType() { return "Unique"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        Shape vec = Shape.of(Dim.unknown());
        ValueType y;
        if (node.attributes().has("axis")) {
            List<Dim> dims = new ArrayList<>(x.shape().dims());
            dims.set(OpSupport.axis(node, node.attributes().getInt("axis", 0), x.rank()), Dim.unknown());
            y = new ValueType(x.dtype(), new Shape(dims));
        } else {
            y = new ValueType(x.dtype(), vec);
        }
        ValueType idx = new ValueType(DType.INT64, vec);
        return List.of(y, idx, idx, idx);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x0 = ctx.require(node, 0);
        boolean hasAxis = node.attributes().has("axis");
        Tensor x = hasAxis ? x0.movedim(OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) x0.dim()), 0) : x0.reshape(-1);
        long slices = x.size(0);
        long width = slices == 0 ? 0 : x.numel() / slices;
        double[] v = NdArray.fromTorch(x.to(ScalarType.Double).contiguous()).toDoubleArray();
        Map<List<Double>, Integer> firstOf = new LinkedHashMap<>();
        List<List<Double>> keys = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            List<Double> key = new ArrayList<>();
            for (long k = 0; k < width; k++) key.add(v[(int) (s * width + k)]);
            keys.add(key);
            firstOf.putIfAbsent(key, s);
        }
        List<List<Double>> order = new ArrayList<>(firstOf.keySet());
        if (node.attributes().getInt("sorted", 1) != 0) order.sort(Unique::lexicographic);
        Map<List<Double>, Integer> position = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) position.put(order.get(i), i);
        long[] first = new long[order.size()];
        long[] counts = new long[order.size()];
        long[] inverse = new long[(int) slices];
        for (int i = 0; i < order.size(); i++) first[i] = firstOf.get(order.get(i));
        for (int s = 0; s < slices; s++) {
            int p = position.get(keys.get(s));
            inverse[s] = p;
            counts[p]++;
        }
        Tensor picks = NdArray.ofLongs(first, first.length).toTorch();
        Tensor y = x.index_select(0, picks);
        if (hasAxis) y = y.movedim(0, OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) x0.dim()));
        return List.of(y, picks, NdArray.ofLongs(inverse, inverse.length).toTorch(), NdArray.ofLongs(counts, counts.length).toTorch());
    }

    private static int lexicographic(List<Double> a, List<Double> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Double.compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": keeps a data-dependent set of distinct values, in sorted order");
    }

}
