package dev.orbit.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.EvaluationException;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueInfo;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.NdArray;

/**
 * Orbit's own evaluator: runs the IR node by node with libtorch ops. {@link #run} is the self-contained
 * entry (own native scope, plain arrays in and out); {@link #forward} works on libtorch tensors so a trainer
 * can put parameters under autograd and manage the scope itself.
 */
public final class Evaluator {
    private final Model model;
    private final Graph graph;
    private final OpRegistry registry;
    private final Map<String, Integer> lastUse;
    private final Map<String, NdArray> nativeParams = new HashMap<>();

    /** An evaluator with Orbit's standard ops. */
    public Evaluator(Model model) { this(model, StandardOps.registry()); }

    /** An evaluator whose ops come from {@code registry} (e.g. the standard ops plus a custom domain's). */
    public Evaluator(Model model, OpRegistry registry) {
        this.model = model;
        this.graph = model.graph();
        this.registry = registry;
        this.lastUse = graph.lastUse();
        // heap-backed parameters (e.g. fresh from a move) are copied to native memory once, not per run
        for (var e : graph.parameters().entrySet()) nativeParams.put(e.getKey(), e.getValue().toNative());
    }

    public Model model() { return model; }

    /** Runs the graph in inference mode; every native tensor is released before returning. */
    public Map<String, NdArray> run(Map<String, NdArray> feeds) {
        checkFeeds(feeds);
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> inputs = new HashMap<>();
            for (var e : feeds.entrySet()) inputs.put(e.getKey(), e.getValue().torchView());
            Map<String, Tensor> params = new HashMap<>();
            for (var e : nativeParams.entrySet()) params.put(e.getKey(), e.getValue().torchView());
            Map<String, Tensor> outs = forward(inputs, params, false);
            Map<String, NdArray> result = new LinkedHashMap<>();
            for (var e : outs.entrySet()) result.put(e.getKey(), NdArray.fromTorch(e.getValue()));
            // keep the fed arrays reachable until the views over them are gone
            java.lang.ref.Reference.reachabilityFence(feeds);
            return result;
        }
    }

    /**
     * Runs the graph on tensors. Parameters come from {@code params} (by name); intermediates are closed
     * after their last use unless autograd needs them (then the caller's scope releases them).
     */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Map<String, Tensor> params, boolean training) {
        Map<String, Tensor> env = run(inputs, params, training);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (ValueInfo o : graph.outputs()) result.put(o.name(), env.get(o.name()));
        return result;
    }

    /** Like {@link #forward} in training mode, but returns every value (BatchNorm statistics need inputs). */
    public Map<String, Tensor> forwardAll(Map<String, Tensor> inputs, Map<String, Tensor> params) {
        return run(inputs, params, true);
    }

    private Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Tensor> params, boolean training) {
        Map<String, Tensor> env = new HashMap<>(params);
        env.putAll(inputs);
        Set<String> keep = new HashSet<>(env.keySet());
        boolean freeEarly = !training;
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            List<Tensor> outs = evaluateNode(node, env, training);
            for (int k = 0; k < Math.min(outs.size(), node.outputs().size()); k++) {
                String name = node.outputs().get(k);
                if (!name.isEmpty()) env.put(name, outs.get(k));
            }
            if (freeEarly) {
                for (String in : node.inputs()) {
                    if (!keep.contains(in) && lastUse.getOrDefault(in, -1) == i) {
                        Tensor t = env.remove(in);
                        if (t != null) t.close();
                    }
                }
            }
        }
        return env;
    }

    private List<Tensor> evaluateNode(Node node, Map<String, Tensor> env, boolean training) {
        long opset = model.opset();
        Op op = registry.require(node, opset);
        List<Tensor> ins = new ArrayList<>(node.inputs().size());
        for (String in : node.inputs()) {
            if (in.isEmpty()) {
                ins.add(null);
                continue;
            }
            Tensor t = env.get(in);
            if (t == null) throw new EvaluationException("value '" + in + "' is missing when node '" + node.label() + "' runs");
            ins.add(t);
        }
        EvalContext ctx = new EvalContext() {
            @Override public Tensor input(int i) { return i < ins.size() ? ins.get(i) : null; }
            @Override public int inputCount() { return ins.size(); }
            @Override public long opset() { return opset; }
            @Override public boolean training() { return training; }
        };
        try {
            return op.evaluate(node, ctx);
        } catch (UnsupportedOpException | ModelFormatException | ShapeException e) {
            throw e;
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new EvaluationException(node.opType() + " node '" + node.label() + "' failed: " + msg, e);
        }
    }

    /** Every graph input must be fed, with the right rank and every fixed dimension matching. */
    private void checkFeeds(Map<String, NdArray> feeds) {
        for (ValueInfo in : graph.inputs()) {
            NdArray a = feeds.get(in.name());
            if (a == null) throw new ShapeException("no value given for model input '" + in.name() + "'");
            checkShape(in, a.shape());
        }
    }

    public static void checkShape(ValueInfo in, long[] actual) {
        for (long d : actual) {
            if (d == 0) throw new ShapeException("input '" + in.name() + "' has a dimension of zero: "
                    + java.util.Arrays.toString(actual));
        }
        Shape want = in.type().shape();
        if (want == null) return;
        if (want.rank() != actual.length) {
            throw new ShapeException("input '" + in.name() + "' has shape " + java.util.Arrays.toString(actual)
                    + " but the model expects rank " + want.rank() + " " + want);
        }
        for (int i = 0; i < actual.length; i++) {
            if (want.dim(i) instanceof Dim.Known(long s) && s != actual[i]) {
                throw new ShapeException("input '" + in.name() + "' has shape " + java.util.Arrays.toString(actual)
                        + " but the model expects " + want);
            }
        }
    }
}
