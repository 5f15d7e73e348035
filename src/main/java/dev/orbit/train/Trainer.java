package dev.orbit.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Model;
import dev.orbit.numeric.Classification;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * Mini-batch training of a {@link TrainableModel}. Every step runs inside its own PointerScope, so native
 * memory stays flat however long the run. Progress (loss, accuracy, samples/s) goes to a terminal progress bar
 * unless {@code quiet}.
 */
public final class Trainer {
    public record Config(int epochs, int batchSize, double lr, Schedule schedule, long seed, Loss loss, boolean quiet) {
        public Config {
            if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
            if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
    }

    /** Called after each epoch; may teleport the model (e.g. mid-training experiments). */
    public interface EpochListener {
        void after(EpochStats stats, TrainableModel model, Optimizer optimizer);
    }

    /**
     * Called before every optimisation step (step 0 is the first, at initialisation), outside the step's PointerScope,
     * with the rows of the batch the step will use; may teleport the model ({@link Teleporter}).
     */
    public interface StepHook {
        void before(long step, TrainableModel model, Optimizer optimizer, Batches train, long[] order, int from, int to);
    }

    private Trainer() {}

    public static List<EpochStats> fit(TrainableModel model, Optimizer opt, Batches train, Batches test, Config c,
                                       EpochListener listener) {
        return fit(model, opt, train, test, c, listener, null);
    }

    public static List<EpochStats> fit(TrainableModel model, Optimizer opt, Batches train, Batches test, Config c,
                                       EpochListener listener, StepHook hook) {
        long global = 0;
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            double lr = c.schedule().lr(c.lr(), epoch);
            train.prepareEpoch(c.seed(), epoch);
            long[] order = train.order(c.seed(), epoch);
            int steps = (train.size() + c.batchSize() - 1) / c.batchSize();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            long t0 = System.nanoTime();
            try (ProgressBar bar = c.quiet() ? null : new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + c.epochs())
                    .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .continuousUpdate().build()) {
                for (int s = 0; s < steps; s++) {
                    int from = s * c.batchSize();
                    int to = Math.min(train.size(), from + c.batchSize());
                    if (hook != null) hook.before(global, model, opt, train, order, from, to);
                    global++;
                    try (PointerScope scope = new PointerScope()) {
                        Tensor[] xy = train.batch(order, from, to);
                        Loss.Evaluated e = c.loss().evaluate(model, xy[0], xy[1], true);
                        Tensor out = e.scores();
                        Tensor loss = e.loss();
                        double l = loss.item_double();
                        if (!Double.isFinite(l)) throw new NumericFailure("training diverged: loss is " + l + " at epoch "
                                + (epoch + 1) + ", step " + (s + 1) + " (try a smaller learning rate)");
                        List<Tensor> grads = Gradients.grad(loss, model.parameterList(), false);
                        Map<String, Tensor> g = new LinkedHashMap<>();
                        int i = 0;
                        for (String name : model.parameters().keySet()) g.put(name, grads.get(i++));
                        opt.step(model.parameters(), g, lr);
                        lossSum += l * (to - from);
                        if (c.loss().classifies()) correct += countCorrect(out, xy[1]);
                        seen += to - from;
                    }
                    if (bar != null) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        bar.step();
                        bar.setExtraMessage(String.format(" loss %.4f acc %.4f %.0f samples/s", lossSum / seen,
                                (double) correct / seen, seen / secs));
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double[] testResult = test == null ? new double[] {Double.NaN, Double.NaN} : evaluate(model, test, c.loss());
            EpochStats stats = new EpochStats(epoch + 1, lr, lossSum / seen, (double) correct / seen, testResult[0],
                    testResult[1], secs, seen / secs);
            history.add(stats);
            if (listener != null) listener.after(stats, model, opt);
        }
        return history;
    }

    /** Mean loss and accuracy in inference mode, without building autograd graphs. */
    public static double[] evaluate(TrainableModel model, Batches data, Loss loss) {
        double lossSum = 0;
        long correct = 0;
        long[] order = new long[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int from = 0; from < data.size(); from += 1000) {
            int to = Math.min(data.size(), from + 1000);
            try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
                Tensor[] xy = data.batch(order, from, to);
                Loss.Evaluated e = loss.evaluate(model, xy[0], xy[1], false);
                lossSum += e.loss().item_double() * (to - from);
                if (loss.classifies()) correct += countCorrect(e.scores(), xy[1]);
            }
        }
        return new double[] {lossSum / data.size(), (double) correct / data.size()};
    }

    private static long countCorrect(Tensor logits, Tensor labels) {
        Tensor predicted = torch.argmax(logits.detach(), new org.bytedeco.pytorch.LongOptional(1), false);
        return Classification.correct(NdArray.fromTorch(predicted).toLongArray(), NdArray.fromTorch(labels).toLongArray());
    }

    /**
     * Teleports a model in the middle of training; the optimiser's state moves with the weights
     * ({@link Optimizer#teleport}: momentum and first moments like the gradient, second moments like its square).
     */
    public static void teleport(TrainableModel model, Optimizer opt, SymmetryAnalysis a, GroupElement g) {
        Model moved = OrbitAction.apply(model.snapshot(), a, g, model.registry());
        opt.teleport(a, g);
        model.replace(moved);
    }

    /** Training produced NaN or infinity. */
    public static final class NumericFailure extends RuntimeException {
        public NumericFailure(String message) { super(message); }
    }

}
