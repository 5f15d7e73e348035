package dev.orbit.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.NdArray;

/**
 * A model whose floating parameters live as libtorch leaf tensors with {@code requires_grad}, so the evaluator's
 * forward pass is differentiable by libtorch's autograd. The tensors are owned here (created outside any
 * PointerScope) and released by {@link #close()}. Teleportation rewrite constants (read by the Muls tagged
 * {@link dev.orbit.graph.Node#isRewrite()}) are part of the activation, not trainable.
 */
public final class TrainableModel implements AutoCloseable {
    private final OpRegistry registry;
    private Model model;
    private Evaluator evaluator;
    private final Map<String, Tensor> trainable = new LinkedHashMap<>();
    private final Map<String, Tensor> fixed = new LinkedHashMap<>();
    private BatchNormStatistics batchNorm;

    /** A model whose ops are Orbit's standard ones. */
    public TrainableModel(Model model) { this(model, StandardOps.registry()); }

    /** A model evaluated (and, on a teleport, analysed and moved) with the ops of {@code registry}. */
    public TrainableModel(Model model, OpRegistry registry) {
        this.registry = registry;
        load(model);
    }

    private void load(Model m) {
        close();
        this.model = m;
        this.evaluator = new Evaluator(m, registry);
        this.batchNorm = new BatchNormStatistics(m.graph());
        for (var e : m.graph().parameters().entrySet()) {
            NdArray a = e.getValue();
            Tensor t = a.toTorch();
            if (isTrainable(m.graph(), e.getKey(), a) && !batchNorm.isState(e.getKey())) {
                t.set_requires_grad(true);
                trainable.put(e.getKey(), t);
            } else {
                fixed.put(e.getKey(), t);
            }
        }
    }

    /**
     * Weights and biases are trainable; constants that belong to an activation are not: teleportation rewrite
     * constants (read by a rewrite Mul) and single values such as GELU's √2 or a Clip bound, unless they are the
     * weight or bias of a linear op.
     */
    static boolean isTrainable(dev.orbit.graph.Graph g, String name, NdArray a) {
        if (!a.dtype().isFloating() || g.consumers(name).stream().anyMatch(dev.orbit.graph.Node::isRewrite)) return false;
        if (a.size() > 1) return true;
        for (var n : g.consumers(name)) {
            if (java.util.Set.of("Gemm", "MatMul", "Conv", "ConvTranspose", "BatchNormalization", "PRelu").contains(n.opType())
                    && n.inputs().indexOf(name) >= 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Differentiable forward pass; call inside a PointerScope. In training mode BatchNorm normalises with batch
     * statistics and its running statistics are updated.
     */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, boolean training) {
        Map<String, Tensor> all = new LinkedHashMap<>(fixed);
        all.putAll(trainable);
        if (!training || batchNorm.isEmpty()) return evaluator.forward(inputs, all, training);
        Map<String, Tensor> values = evaluator.forwardAll(inputs, all);
        batchNorm.update(values, fixed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var o : model.graph().outputs()) out.put(o.name(), values.get(o.name()));
        return out;
    }

    /**
     * Differentiable forward pass that returns the named values (outputs or intermediates), for losses computed
     * inside the graph; call inside a PointerScope. BatchNorm behaves as in {@link #forward}.
     */
    public Map<String, Tensor> forwardValues(Map<String, Tensor> inputs, boolean training, List<String> names) {
        Map<String, Tensor> all = new LinkedHashMap<>(fixed);
        all.putAll(trainable);
        if (!training || batchNorm.isEmpty()) return evaluator.forwardValues(inputs, all, training, names);
        Map<String, Tensor> values = evaluator.forwardAll(inputs, all);
        batchNorm.update(values, fixed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) out.put(n, values.get(n));
        return out;
    }

    /** The single output of a one-output model. */
    public Tensor forwardOne(Tensor input, boolean training) {
        return forward(Map.of(model.graph().inputs().getFirst().name(), input), training).values().iterator().next();
    }

    public Map<String, Tensor> parameters() { return Collections.unmodifiableMap(trainable); }

    public List<Tensor> parameterList() { return List.copyOf(trainable.values()); }

    /** The model with the current parameter values (float32 as stored), ready to export. */
    public Model snapshot() {
        Map<String, NdArray> values = new LinkedHashMap<>();
        for (var e : trainable.entrySet()) values.put(e.getKey(), NdArray.fromTorch(e.getValue().detach()));
        for (var e : fixed.entrySet()) {
            if (batchNorm.isState(e.getKey())) values.put(e.getKey(), NdArray.fromTorch(e.getValue()));
        }
        return model.withGraph(model.graph().withParameters(values));
    }

    /** Replaces the model (e.g. after a teleport) and rebuilds the leaf tensors. */
    public void replace(Model m) { load(m); }

    public Model model() { return model; }

    /** The ops this model is evaluated with. */
    public OpRegistry registry() { return registry; }

    @Override
    public void close() {
        trainable.values().forEach(Tensor::close);
        fixed.values().forEach(Tensor::close);
        trainable.clear();
        fixed.clear();
    }
}
