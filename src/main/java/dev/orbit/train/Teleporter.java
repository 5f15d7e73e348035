package dev.orbit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * Purposeful teleports inside training: before step 0 and every {@code every} steps, the orbit optimiser moves the
 * model to a better point for its objective on the batch that step is about to use, and the optimiser state moves
 * with the weights ({@link Trainer#teleport}). Each teleport is handed to {@code onTeleport} (the model before and
 * after, the batch) so a caller can verify it in ONNX Runtime before training goes on, or log it.
 */
public final class Teleporter implements Trainer.StepHook {
    /** One teleport as it happened. */
    public record Event(long step, Model before, Model after, NdArray x, NdArray y, OrbitOptimizer.Result result) {}

    /**
     * {@code orbit train --teleport OBJECTIVE[:every=K][:steps=S][:lr=η][:bound=F][:sample=N]}: objective grad-norm,
     * sharpness, trace or weight-norm; teleport at step 0 and every K steps (K = 0: only at step 0); S optimiser steps
     * at learning rate η; scale factors within [1/F, F]; the loss-based objectives on the first N digits of the step's
     * batch (N = 0: all of it; the batch order is shuffled, so that is a random subsample). A Hessian objective's cost
     * grows with N (third-order autograd), so a subsample makes it cheaper; the move is verified on the whole batch
     * all the same (a move of the orbit is exact on every input).
     */
    public record Spec(String objective, int every, int steps, double lr, double bound, int sample) {
        public static final List<String> OBJECTIVES = List.of("grad-norm", "sharpness", "trace", "weight-norm");

        public Spec {
            if (!OBJECTIVES.contains(objective)) throw new IllegalArgumentException("unknown teleport objective '" + objective + "' (" + String.join(", ", OBJECTIVES) + ")");
            if (every < 0) throw new IllegalArgumentException("every must be ≥ 0 (0: only at initialisation), got " + every);
            if (sample < 0) throw new IllegalArgumentException("sample must be ≥ 0 (0: the whole batch), got " + sample);
            new OrbitOptimizer.Config(steps, lr, TrustRegion.factor(bound));
        }

        /** On the whole batch. */
        public Spec(String objective, int every, int steps, double lr, double bound) { this(objective, every, steps, lr, bound, 0); }

        /**
         * Defaults: every 200 steps, 10 optimiser steps; lr 0.05 (ln-objectives) or 0.01 (weight norm); factors within
         * [1/4, 4]; the whole batch.
         */
        public static Spec parse(String text) {
            String[] parts = text.split(":");
            String name = parts[0].toLowerCase(Locale.ROOT);
            int every = 200, steps = 10, sample = 0;
            double lr = name.equals("weight-norm") ? 0.01 : 0.05, bound = 4;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2) throw new IllegalArgumentException("teleport option '" + parts[i] + "' is not KEY=VALUE (every, steps, lr, bound, sample)");
                try {
                    switch (kv[0]) {
                        case "every" -> every = Integer.parseInt(kv[1]);
                        case "steps" -> steps = Integer.parseInt(kv[1]);
                        case "lr" -> lr = Double.parseDouble(kv[1]);
                        case "bound" -> bound = Double.parseDouble(kv[1]);
                        case "sample" -> sample = Integer.parseInt(kv[1]);
                        default -> throw new IllegalArgumentException("unknown teleport option '" + kv[0] + "' (every, steps, lr, bound, sample)");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("teleport option " + kv[0] + ": '" + kv[1] + "' is not a number");
                }
            }
            return new Spec(name, every, steps, lr, bound, sample);
        }

        /** The objective on one batch (cross-entropy), on its first {@link #sample} rows when that is set and smaller. */
        public Objective objective(NdArray x, NdArray y) {
            if (sample > 0 && sample < x.dim(0)) {
                x = firstRows(x, sample);
                y = firstRows(y, sample);
            }
            Loss ce = new Loss.CrossEntropy();
            return switch (objective) {
                case "grad-norm" -> Objective.gradientNorm(x, y, ce);
                case "sharpness" -> Objective.sharpness(x, y, ce, 3, 17);
                case "trace" -> Objective.hessianTrace(x, y, ce, 1, 17);
                default -> Objective.weightNorm();
            };
        }

        private static NdArray firstRows(NdArray a, long n) {
            long[] shape = a.shape();
            shape[0] = n;
            return NdArray.wrap(a.dtype(), shape, a.segment().asSlice(0, NdArray.count(shape) * a.dtype().byteSize)).copy();
        }

        public OrbitOptimizer.Config config() { return new OrbitOptimizer.Config(steps, lr, TrustRegion.factor(bound)); }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s:every=%d:steps=%d:lr=%s:bound=%s", objective, every, steps, lr, bound) + (sample > 0 ? ":sample=" + sample : "");
        }
    }

    private final Spec spec;
    private final SymmetryAnalysis analysis;
    private final Consumer<Event> onTeleport;
    private final List<OrbitOptimizer.Result> results = new ArrayList<>();
    private double seconds;

    /** {@code analysis}: the model's symmetry analysis (moves keep the graph, so it stays valid). */
    public Teleporter(Spec spec, SymmetryAnalysis analysis, Consumer<Event> onTeleport) {
        this.spec = spec;
        this.analysis = analysis;
        this.onTeleport = onTeleport;
    }

    @Override
    public void before(long step, TrainableModel model, Optimizer optimizer, Batches train, long[] order, int from, int to) {
        if (step != 0 && (spec.every() == 0 || step % spec.every() != 0)) return;
        long t0 = System.nanoTime();
        NdArray x, y;
        try (PointerScope scope = new PointerScope()) {
            Tensor[] xy = train.batch(order, from, to);
            x = NdArray.fromTorch(xy[0]);
            y = NdArray.fromTorch(xy[1]);
        }
        Model before = model.snapshot();
        OrbitOptimizer.Result r = OrbitOptimizer.optimise(before, analysis, spec.objective(x, y), spec.config(), model.registry());
        Trainer.teleport(model, optimizer, analysis, r.element());
        seconds += (System.nanoTime() - t0) / 1e9;
        results.add(r);
        if (onTeleport != null) onTeleport.accept(new Event(step, before, model.model(), x, y, r));
    }

    /** Every teleport's optimiser result, in order. */
    public List<OrbitOptimizer.Result> results() { return List.copyOf(results); }

    /** Seconds spent teleporting (optimising and moving weights and state; not the caller's verification). */
    public double seconds() { return seconds; }
}
