package dev.orbit.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * Test helper: builds a one-node (or few-node) ONNX model, runs it in ONNX Runtime and in Orbit's evaluator,
 * and checks that outputs agree and that shape inference predicted the shapes ORT produced.
 * Usage: {@code OpCheck.node("Relu").input("x", randn(seed, 2, 3)).check()} (first argument of the
 * data helpers is the seed).
 */
public final class OpCheck {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, NdArray> feeds = new LinkedHashMap<>();
    private final Map<String, NdArray> params = new LinkedHashMap<>();
    private final List<String> outputs = new ArrayList<>();
    private long opset = 17;
    private double relTol = 1e-5;
    private double absTol = 0;
    private boolean symbolicBatch = false;

    public static OpCheck node(String opType, String... attrsAndOutputsUnused) {
        OpCheck c = new OpCheck();
        c.nodes.add(new Node("n0", opType, List.of(), List.of("y"), Attributes.NONE));
        c.outputs.add("y");
        return c;
    }

    /** A check over an arbitrary list of nodes; name the outputs with {@link #output}. */
    public static OpCheck graph(Node... ns) {
        OpCheck c = new OpCheck();
        c.nodes.addAll(List.of(ns));
        return c;
    }

    public OpCheck output(String name) { outputs.add(name); return this; }

    /** Adds a graph input (fed at run time) and wires it as the next input of the single node. */
    public OpCheck input(String name, NdArray value) {
        feeds.put(name, value);
        wire(name);
        return this;
    }

    /** Adds a constant (initializer) and wires it as the next input of the single node. */
    public OpCheck param(String name, NdArray value) {
        params.put(name, value);
        wire(name);
        return this;
    }

    /** Feeds a graph input without wiring (multi-node graphs). */
    public OpCheck feed(String name, NdArray value) { feeds.put(name, value); return this; }

    /** Adds an initializer without wiring (multi-node graphs). */
    public OpCheck constant(String name, NdArray value) { params.put(name, value); return this; }

    /** Wires an omitted optional input (""). */
    public OpCheck skipInput() { wire(""); return this; }

    public OpCheck attr(String name, Attr value) {
        Node n = nodes.getFirst();
        nodes.set(0, n.withAttributes(n.attributes().with(name, value)));
        return this;
    }

    public OpCheck attr(String name, long v) { return attr(name, new Attr.Int(v)); }

    public OpCheck attr(String name, float v) { return attr(name, new Attr.Float(v)); }

    public OpCheck attr(String name, String v) { return attr(name, new Attr.Str(v)); }

    public OpCheck attr(String name, long... v) { return attr(name, new Attr.Ints(v)); }

    public OpCheck opset(long v) { opset = v; return this; }

    public OpCheck tolerance(double rel) { relTol = rel; return this; }

    /** Also accept outputs whose max absolute error is within this (for approximated functions). */
    public OpCheck absTolerance(double abs) { absTol = abs; return this; }

    /** Declare the first axis of every input as a symbolic "batch" (tests symbolic shape inference). */
    public OpCheck symbolicBatch() { symbolicBatch = true; return this; }

    private void wire(String name) {
        if (nodes.size() != 1) return;
        Node n = nodes.getFirst();
        List<String> ins = new ArrayList<>(n.inputs());
        ins.add(name);
        nodes.set(0, n.withInputs(ins));
    }

    public Model model() {
        List<ValueInfo> ins = new ArrayList<>();
        for (var e : feeds.entrySet()) {
            Shape s = Shape.of(e.getValue().shape());
            if (symbolicBatch && s.rank() > 0) s = s.with(0, Dim.symbol("batch"));
            ins.add(new ValueInfo(e.getKey(), new ValueType(e.getValue().dtype(), s)));
        }
        List<ValueInfo> outs = outputs.stream().map(o -> new ValueInfo(o, ValueType.unknown(DType.FLOAT32))).toList();
        // output element types: ask shape inference, then rebuild with them
        Graph g0 = new Graph("test", ins, outs, nodes, params, Map.of(), "");
        Model m0 = new Model(g0, Map.of("", opset), Model.ModelInfo.orbit());
        Map<String, ValueType> types = ShapeInference.infer(m0);
        List<ValueInfo> typedOuts = outputs.stream()
                .map(o -> new ValueInfo(o, new ValueType(types.get(o).dtype(), null))).toList();
        return m0.withGraph(new Graph("test", ins, typedOuts, nodes, params, Map.of(), ""));
    }

    /** Runs both engines; returns Orbit's outputs. */
    public Map<String, NdArray> check() {
        Model m = model();
        Map<String, NdArray> ort;
        try (OrtRunner r = new OrtRunner(m)) {
            ort = r.run(feeds);
        }
        Map<String, NdArray> mine = new Evaluator(m).run(feeds);
        Map<String, Shape> concrete = new LinkedHashMap<>();
        for (var e : feeds.entrySet()) concrete.put(e.getKey(), Shape.of(e.getValue().shape()));
        Map<String, ValueType> inferred = ShapeInference.infer(m, concrete);
        Map<String, ValueType> symbolic = ShapeInference.infer(m);
        for (String o : outputs) {
            NdArray a = ort.get(o);
            NdArray b = mine.get(o);
            assertArrayEquals(a.shape(), b.shape(), o + ": output shape (ORT vs Orbit)");
            assertEquals(a.dtype(), b.dtype(), o + ": output type (ORT vs Orbit)");
            var cmp = OutputComparison.of(o, a, b);
            assertTrue(cmp.within(relTol) || cmp.shapesMatch() && cmp.maxAbsError() <= absTol, o + ": max rel error " + cmp.maxRelError() + " (abs " + cmp.maxAbsError()
                    + ") exceeds " + relTol + (absTol > 0 ? " (and abs " + absTol + ")" : ""));
            ValueType t = inferred.get(o);
            assertTrue(t != null && t.shape() != null, o + ": shape inference gave no shape");
            assertEquals(Shape.of(a.shape()), t.shape(), o + ": inferred shape with concrete inputs");
            ValueType s = symbolic.get(o);
            assertTrue(s != null && s.shape() != null && s.shape().rank() == a.rank(),
                    o + ": inferred rank with declared inputs: " + s);
        }
        return mine;
    }

    // ---- data helpers ----
    public static NdArray randn(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return NdArray.ofFloats(v, shape);
    }

    public static NdArray uniform(long seed, float lo, float hi, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextFloat();
        return NdArray.ofFloats(v, shape);
    }

    public static NdArray longs(long... v) { return NdArray.ofLongs(v, v.length); }

    public static NdArray scalarFloat(float v) { return NdArray.ofFloats(new float[] {v}); }
}
