package dev.orbit.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

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
import dev.orbit.ops.WidensHalfInputs;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.FreePages;
import dev.orbit.tensor.NdArray;

/**
 * Orbit's own evaluator: runs the IR node by node with libtorch ops. {@link #run} is the self-contained
 * entry (own native scope, plain arrays in and out); {@link #forward} works on libtorch tensors so a trainer
 * can put parameters under autograd and manage the scope itself.
 * <p>
 * Two dtype policies live here rather than in each op (docs/DTYPES.md): float16 and bfloat16 inputs are
 * computed in float32 and each floating output is rounded back to the half type (unless the op's type rule says
 * it yields float32, as a Cast does); uint16/uint32/uint64 values are carried in int64 and wrapped to their own
 * width after every op that yields them.
 */
public final class Evaluator {
    private final Model model;
    private final Graph graph;
    private final OpRegistry registry;
    private final Map<String, Integer> lastUse;
    private final Map<String, NdArray> nativeParams = new HashMap<>();
    /** Each value's element type by static inference (empty where inference fails): the dtype policies' guide. */
    private final Map<String, DType> staticTypes;
    /** Whether any value may be float16/bfloat16, or uint16/32: the policies cost nothing for the other graphs. */
    private final boolean mayHoldHalf;
    private final boolean mayHoldWidened;
    /** Per sub-graph (by identity): its parameters in native memory and its values' last uses. */
    private final Map<Graph, Map<String, NdArray>> subgraphParams = new java.util.IdentityHashMap<>();
    private final Map<Graph, Map<String, Integer>> subgraphLastUse = new java.util.IdentityHashMap<>();

    /** An evaluator with Orbit's standard ops. */
    public Evaluator(Model model) { this(model, StandardOps.registry()); }

    /** An evaluator whose ops come from {@code registry} (e.g. the standard ops plus a custom domain's). */
    public Evaluator(Model model, OpRegistry registry) {
        this.model = model;
        this.graph = model.graph();
        this.registry = registry;
        this.lastUse = graph.lastUse();
        this.staticTypes = staticTypes(model, registry);
        boolean unknown = staticTypes.isEmpty() && !graph.nodes().isEmpty();
        this.mayHoldHalf = unknown || staticTypes.values().stream().anyMatch(DType::isHalf);
        this.mayHoldWidened = staticTypes.values().stream().anyMatch(DType::isWidened);
        // heap-backed parameters (e.g. fresh from a move) are copied to native memory once, not per run
        for (var e : graph.parameters().entrySet()) nativeParams.put(e.getKey(), e.getValue().toNative());
    }

    public Model model() { return model; }

    /** Runs the graph in inference mode; every native tensor is released before returning. */
    public Map<String, NdArray> run(Map<String, NdArray> feeds) {
        checkFeeds(feeds);
        try {
            return runInScope(feeds);
        } finally {
            // a half model's blocks and results, freed between the JIT's allocations, leave malloc's arena
            // fragmented; with Orbit's launch settings nothing would give those pages back (FreePages)
            if (mayHoldHalf) FreePages.release();
        }
    }

    private Map<String, NdArray> runInScope(Map<String, NdArray> feeds) {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> inputs = new HashMap<>();
            for (var e : feeds.entrySet()) inputs.put(e.getKey(), e.getValue().torchView());
            Map<String, Tensor> params = new HashMap<>();
            for (var e : nativeParams.entrySet()) params.put(e.getKey(), e.getValue().torchView());
            Map<String, Tensor> outs = forward(inputs, params, false);
            Map<String, NdArray> result = new LinkedHashMap<>();
            for (var e : outs.entrySet()) result.put(e.getKey(), NdArray.fromTorch(e.getValue(), outputType(e.getKey())));
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

    /** Like {@link #forward}, but returns the named values (outputs or intermediates) instead of the outputs. */
    public Map<String, Tensor> forwardValues(Map<String, Tensor> inputs, Map<String, Tensor> params, boolean training,
                                             List<String> names) {
        Map<String, Tensor> env = run(inputs, params, training, names);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String n : names) {
            Tensor t = env.get(n);
            if (t == null) throw new EvaluationException("graph '" + graph.name() + "' computes no value '" + n + "'");
            result.put(n, t);
        }
        return result;
    }

    private Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Tensor> params, boolean training) {
        return run(inputs, params, training, List.of());
    }

    private Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Tensor> params, boolean training,
                                    List<String> alsoKeep) {
        Map<String, Tensor> env = new HashMap<>(params);
        env.putAll(inputs);
        Set<String> keep = new HashSet<>(env.keySet());
        keep.addAll(alsoKeep);
        runNodes(graph, lastUse, env, keep, training);
        return env;
    }

    /** Evaluates {@code g}'s nodes into {@code env}, freeing intermediates (not {@code keep}) after their last use. */
    private void runNodes(Graph g, Map<String, Integer> lastUses, Map<String, Tensor> env, Set<String> keep, boolean training) {
        boolean freeEarly = !training;
        List<Node> nodes = g.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            List<Tensor> outs = evaluateNode(node, env, training);
            for (int k = 0; k < Math.min(outs.size(), node.outputs().size()); k++) {
                String name = node.outputs().get(k);
                if (!name.isEmpty()) env.put(name, wrapUnsigned(name, outs.get(k)));
            }
            if (freeEarly) {
                for (String in : node.readValues()) {
                    if (!keep.contains(in) && lastUses.getOrDefault(in, -1) == i) {
                        Tensor t = env.remove(in);
                        if (t != null) t.close();
                    }
                }
            }
        }
    }

    /**
     * One run of a sub-graph: the enclosing scope's values (as {@code outer} holds them when its node runs), its own
     * parameters and the given inputs. Outputs that are values from outside the run (an input, a parameter, an
     * outer value handed straight through) come back as new handles, so freeing them cannot free the original.
     */
    private List<Tensor> runSubgraph(Node owner, Graph body, List<Tensor> inputs, Map<String, Tensor> outer, boolean training) {
        if (inputs.size() != body.inputs().size()) {
            throw new EvaluationException(owner.opType() + " node '" + owner.label() + "': its sub-graph '" + body.name()
                    + "' takes " + body.inputs().size() + " inputs, the node gives it " + inputs.size());
        }
        Map<String, Tensor> env = new HashMap<>(outer);
        for (var e : subgraphParams(body).entrySet()) env.put(e.getKey(), e.getValue().torchView());
        for (int k = 0; k < inputs.size(); k++) env.put(body.inputs().get(k).name(), inputs.get(k));
        java.util.IdentityHashMap<Tensor, Boolean> fromOutside = new java.util.IdentityHashMap<>();
        for (Tensor t : env.values()) if (t != null) fromOutside.put(t, true);
        runNodes(body, subgraphLastUse.computeIfAbsent(body, Graph::lastUse), env, new HashSet<>(env.keySet()), training);
        List<Tensor> outs = new ArrayList<>(body.outputs().size());
        for (ValueInfo o : body.outputs()) {
            Tensor t = env.get(o.name());
            if (t == null) {
                throw new EvaluationException(owner.opType() + " node '" + owner.label() + "': its sub-graph '" + body.name()
                        + "' does not produce its output '" + o.name() + "'");
            }
            outs.add(fromOutside.containsKey(t) ? new Tensor(t) : t);
        }
        return outs;
    }

    /** A sub-graph's parameters in native memory, copied once per evaluator. */
    private Map<String, NdArray> subgraphParams(Graph body) {
        return subgraphParams.computeIfAbsent(body, b -> {
            Map<String, NdArray> m = new HashMap<>();
            for (var e : b.parameters().entrySet()) m.put(e.getKey(), e.getValue().toNative());
            return m;
        });
    }

    private List<Tensor> evaluateNode(Node node, Map<String, Tensor> env, boolean training) {
        long opset = model.opset();
        Op op = registry.require(node, opset);
        List<Tensor> ins = new ArrayList<>(node.inputs().size());
        ScalarType half = null;
        for (String in : node.inputs()) {
            if (in.isEmpty()) {
                ins.add(null);
                continue;
            }
            Tensor t = env.get(in);
            if (t == null) throw new EvaluationException("value '" + in + "' is missing when node '" + node.label() + "' runs");
            if (mayHoldHalf) {
                ScalarType st = t.scalar_type().intern();
                if (st == ScalarType.Half || st == ScalarType.BFloat16) half = st;
            }
            ins.add(t);
        }
        return half == null ? evaluateOp(node, op, opset, ins, env, training)
                : evaluateInFloat32(node, op, opset, ins, env, training, half);
    }

    /**
     * The half policy for one node: its half inputs widened to float32, the op, its float32 results rounded back.
     * It runs in a scope of its own, so the float32 copies (and any view an op keeps of them) die with the node,
     * not at the end of the run: a float16 model never holds a float32 copy of more than one node's tensors. An op
     * that widens an input itself, a block at a time ({@link WidensHalfInputs}: Gemm's and MatMul's weights), gets it
     * in its half type and holds float32 copies of one block of it only.
     * Autograd keeps its own references where a backward pass needs them.
     */
    private List<Tensor> evaluateInFloat32(Node node, Op op, long opset, List<Tensor> ins, Map<String, Tensor> env,
                                           boolean training, ScalarType half) {
        PointerScope outer = PointerScope.getInnerScope();
        List<Tensor> survivors = new ArrayList<>();
        List<Tensor> result;
        try (PointerScope inner = new PointerScope()) {
            List<Tensor> wide = new ArrayList<>(ins.size());
            for (int i = 0; i < ins.size(); i++) {
                Tensor t = ins.get(i);
                ScalarType st = t == null ? null : t.scalar_type().intern();
                boolean widen = (st == ScalarType.Half || st == ScalarType.BFloat16)
                        && !(op instanceof WidensHalfInputs w && w.widensItself(i));
                wide.add(widen ? t.to(ScalarType.Float) : t);
            }
            result = roundToHalf(node, evaluateOp(node, op, opset, wide, env, training), half);
            for (Tensor t : result) {
                // results made inside this scope outlive it; an input handed back unchanged already belongs outside
                if (t != null && !containsSame(ins, t)) {
                    t.retainReference();
                    survivors.add(t);
                }
            }
        }
        for (Tensor t : survivors) {
            if (outer != null) {
                outer.attach(t);
                t.releaseReference();
            }
        }
        return result;
    }

    private static boolean containsSame(List<Tensor> ts, Tensor t) {
        for (Tensor x : ts) if (x == t) return true;
        return false;
    }

    /** float32 results of a node that read half inputs go back to the half type, unless its type rule says float32. */
    private List<Tensor> roundToHalf(Node node, List<Tensor> outs, ScalarType half) {
        List<Tensor> rounded = new ArrayList<>(outs.size());
        for (int k = 0; k < outs.size(); k++) {
            Tensor t = outs.get(k);
            DType want = k < node.outputs().size() ? staticTypes.get(node.output(k)) : null;
            boolean isFloat = t != null && t.scalar_type().intern() == ScalarType.Float;
            ScalarType target = !isFloat ? null : want == null ? half : want.isHalf() ? want.torchType : null;
            rounded.add(target == null ? t : t.to(target));
        }
        return rounded;
    }

    /** uint16/uint32 values carried in int64 keep ONNX's modular arithmetic: wrapped to their width after each op. */
    private Tensor wrapUnsigned(String name, Tensor t) {
        if (!mayHoldWidened) return t;
        DType d = staticTypes.get(name);
        if (d != DType.UINT16 && d != DType.UINT32 || t.scalar_type().intern() != ScalarType.Long) return t;
        return torch.bitwise_and(t, new Scalar(d == DType.UINT16 ? 0xffffL : 0xffffffffL));
    }

    /** The element type a graph output leaves as: declared, else inferred, else the tensor's own. */
    private DType outputType(String name) {
        for (ValueInfo o : graph.outputs()) if (o.name().equals(name)) return o.type().dtype();
        return staticTypes.getOrDefault(name, DType.FLOAT32);
    }

    private static Map<String, DType> staticTypes(Model model, OpRegistry registry) {
        Map<String, DType> types = new HashMap<>();
        try {
            for (var e : ShapeInference.infer(model, registry).entrySet()) types.put(e.getKey(), e.getValue().dtype());
        } catch (RuntimeException e) {
            // a model whose shapes do not infer still evaluates; the policies then go by the tensors' types
        }
        return types;
    }

    private List<Tensor> evaluateOp(Node node, Op op, long opset, List<Tensor> ins, Map<String, Tensor> env, boolean training) {
        EvalContext ctx = new EvalContext() {
            @Override public Tensor input(int i) { return i < ins.size() ? ins.get(i) : null; }
            @Override public int inputCount() { return ins.size(); }
            @Override public long opset() { return opset; }
            @Override public boolean training() { return training; }
            @Override public DType inputType(int i) { return i < node.inputs().size() ? staticTypes.get(node.input(i)) : null; }
            @Override public List<Tensor> runSubgraph(Graph body, List<Tensor> inputs) {
                return Evaluator.this.runSubgraph(node, body, inputs, env, training);
            }
        };
        try {
            return op.evaluate(node, ctx);
        } catch (UnsupportedOpException | ModelFormatException | ShapeException | EvaluationException e) {
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

    /** Rank and fixed dimensions must match; zero-size dimensions are valid ONNX (empty axes lists, empty splits). */
    public static void checkShape(ValueInfo in, long[] actual) {
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
