package dev.orbit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * Optimises an {@link Objective} over a model's orbit: gradient steps on the group coordinates
 * ({@link GroupParameters}: log-scales, exp-parameterised GL(d) blocks, Cayley rotations), the gradient taken by
 * libtorch through the moved parameters (double backward for ‖∇L‖², third order for Hessian objectives), in float64.
 *
 * <p>Each step moves the coordinates by {@code lr} × gradient (up for MAXIMIZE, down for MINIMIZE; on ln f for
 * logarithmic objectives), projects them into the {@link TrustRegion} and keeps the step only if the objective
 * improved (or stayed within float64 rounding); a rejected step is undone and the learning rate halved. So the objective never gets worse, and a step
 * costs one evaluation of the objective and its gradient. The result is a plain {@link GroupElement} (positive scales
 * and matrix parts, no permutation): replayable, invertible and verified like every other move.
 */
public final class OrbitOptimizer {
    /**
     * {@code steps} gradient steps with initial learning rate {@code lr} inside {@code region}; {@code scales}: one
     * log-scale per neuron (default) or one per space.
     */
    public record Config(int steps, double lr, TrustRegion region, GroupParameters.Scales scales) {
        public Config(int steps, double lr, TrustRegion region) { this(steps, lr, region, GroupParameters.Scales.PER_NEURON); }

        public Config {
            java.util.Objects.requireNonNull(region, "trust region");
            java.util.Objects.requireNonNull(scales, "scales");
            if (steps < 0) throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
            if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("the teleport learning rate must be positive, got " + lr);
        }
    }

    /**
     * What happened: the element, the objective before and after, steps accepted of those tried, the learning rate
     * at the end, the largest |log-scale| reached, how many coordinates moved, what was left out and why, and the time.
     */
    public record Result(GroupElement element, String objective, double before, double after, int steps, int accepted,
                         double finalLr, double maxLogScale, long dimension, List<String> skipped, double seconds) {}

    /**
     * A trial that is worse by no more than this (relative) is kept: near the optimum the change of f is second order
     * in the step and drowns in float64 rounding, while the gradient still points the right way.
     */
    static final double ROUNDING = 1e-12;

    /** After a kept step the learning rate grows back by this factor (up to the configured one), so one rejection near a stiff direction does not slow the rest for good. */
    static final double GROWTH = 1.25;

    private OrbitOptimizer() {}

    public static Result optimise(Model model, SymmetryAnalysis a, Objective objective, Config c) {
        return optimise(model, a, objective, c, StandardOps.registry());
    }

    public static Result optimise(Model model, SymmetryAnalysis a, Objective objective, Config c, OpRegistry registry) {
        long t0 = System.nanoTime();
        try (PointerScope outer = new PointerScope()) {
            Evaluator evaluator = new Evaluator(model, registry);
            Map<String, Tensor> base = OrbitPoint.float64Parameters(model);
            List<String> trainable = trainableNames(model);
            // objectives differentiate by the weights too, also those no group coordinate moves (an output bias)
            for (String n : trainable) base.get(n).set_requires_grad(true);
            GroupParameters gp = new GroupParameters(model, a, c.scales());
            Evaluation e = evaluate(model, evaluator, base, trainable, gp, objective);
            double before = e.value;
            if (!Double.isFinite(e.criterion)) throw new IllegalArgumentException("the objective " + objective.name() + " is " + e.value + " at the start");
            double sign = objective.goal() == Objective.Goal.MAXIMIZE ? 1 : -1;
            double lr = c.lr();
            int accepted = 0;
            for (int s = 0; s < c.steps() && gp.dimension() > 0; s++) {
                try (PointerScope step = new PointerScope()) {
                    List<Tensor> saved = gp.save();
                    gp.add(e.gradient.stream().map(NdArray::toTorch).toList(), sign * lr);
                    gp.project(c.region());
                    Evaluation trial = evaluate(model, evaluator, base, trainable, gp, objective);
                    if (Double.isFinite(trial.criterion) && sign * (trial.criterion - e.criterion) >= -ROUNDING * Math.max(1, Math.abs(e.criterion))) {
                        e = trial;
                        accepted++;
                        lr = Math.min(c.lr(), lr * GROWTH);
                    } else {
                        gp.restore(saved);
                        lr /= 2;
                    }
                }
            }
            return new Result(gp.element(), objective.name(), before, e.value, c.steps(), accepted, lr, gp.maxAbsLogScale(), gp.dimension(),
                    gp.skipped(), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** f, the criterion stepped on (f or ln f) and its gradient over the coordinates (copied out of libtorch). */
    private record Evaluation(double value, double criterion, List<NdArray> gradient) {}

    private static Evaluation evaluate(Model model, Evaluator evaluator, Map<String, Tensor> base, List<String> trainable,
                                       GroupParameters gp, Objective objective) {
        try (PointerScope scope = new PointerScope()) {
            OrbitPoint at = new OrbitPoint(model, evaluator, gp.act(base), trainable);
            Tensor f = objective.value(at);
            double value = f.item_double();
            Tensor y = objective.logarithmic() ? torch.log(f) : f;
            double criterion = objective.logarithmic() && !(value > 0) ? Double.NaN : y.item_double();
            List<NdArray> grad = new ArrayList<>();
            if (Double.isFinite(criterion) && gp.dimension() > 0 && y.requires_grad()) {
                for (Tensor g : Gradients.grad(y, gp.coordinates(), false)) grad.add(NdArray.fromTorch(g));
            } else {
                for (Tensor t : gp.coordinates()) grad.add(NdArray.fromTorch(torch.zeros_like(t.detach())));
            }
            return new Evaluation(value, criterion, grad);
        }
    }

    /** The parameters training updates (TrainableModel's rule), in the graph's order. */
    static List<String> trainableNames(Model model) {
        BatchNormStatistics bn = new BatchNormStatistics(model.graph());
        List<String> out = new ArrayList<>();
        for (var e : model.graph().parameters().entrySet()) {
            if (TrainableModel.isTrainable(model.graph(), e.getKey(), e.getValue()) && !bn.isState(e.getKey())) out.add(e.getKey());
        }
        return out;
    }
}
