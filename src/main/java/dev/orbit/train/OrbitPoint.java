package dev.orbit.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;

/**
 * A point of a model's orbit as an objective sees it: the moved parameters (float64 libtorch tensors that depend
 * differentiably on the group coordinates) and a forward pass through them in inference mode. Built by the orbit
 * optimiser inside its PointerScope; objectives use it within {@link Objective#value}.
 */
public final class OrbitPoint {
    private final Model model;
    private final Evaluator evaluator;
    private final Map<String, Tensor> all;
    private final List<String> trainable;

    OrbitPoint(Model model, Evaluator evaluator, Map<String, Tensor> all, List<String> trainable) {
        this.model = model;
        this.evaluator = evaluator;
        this.all = all;
        this.trainable = trainable;
    }

    /** Every parameter by name (float64 where floating), moved. */
    public Map<String, Tensor> parameters() { return java.util.Collections.unmodifiableMap(all); }

    /** The parameters training would update (weights and biases), in a fixed order: what gradients are taken over. */
    public List<Tensor> trainable() {
        List<Tensor> out = new ArrayList<>();
        for (String n : trainable) out.add(all.get(n));
        return out;
    }

    /** Names of {@link #trainable()}, in its order. */
    public List<String> trainableNames() { return trainable; }

    /** The model's single output on {@code input} (cast to float64), inference mode. */
    public Tensor forward(Tensor input) {
        Tensor x = input.to(torch.ScalarType.Double);
        return evaluator.forward(Map.of(model.graph().inputs().getFirst().name(), x), all, false).values().iterator().next();
    }

    /** The loss on a batch: features shaped like the model's input, int64 labels (cross-entropy) or float targets. */
    public Tensor loss(Tensor x, Tensor y, Loss loss) {
        return switch (loss) {
            case Loss.Mse mse -> mse.compute(forward(x), y.to(torch.ScalarType.Double));
            case Loss.CrossEntropy ce -> ce.compute(forward(x), y);
            case Loss.InGraph g -> evaluator.forwardValues(Map.of(g.features(), x.to(torch.ScalarType.Double), g.labels(), y),
                    all, false, List.of(g.lossValue())).get(g.lossValue());
        };
    }

    /** The same point with its trainable parameters replaced by detached leaves (for inner iterations without a graph to θ). */
    public OrbitPoint detached() {
        Map<String, Tensor> d = new LinkedHashMap<>(all);
        for (String n : trainable) {
            Tensor t = all.get(n).detach().clone();
            t.set_requires_grad(true);
            d.put(n, t);
        }
        return new OrbitPoint(model, evaluator, d, trainable);
    }

    static Map<String, Tensor> float64Parameters(Model model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : model.graph().parameters().entrySet()) {
            NdArray a = e.getValue();
            Tensor t = a.toTorch();
            out.put(e.getKey(), a.dtype().isFloating() ? t.to(torch.ScalarType.Double) : t);
        }
        return out;
    }
}
