package dev.orbit.ode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.train.Gradients;
import dev.orbit.train.Trainer.NumericFailure;
import dev.orbit.train.Optimizer;

/**
 * Discretise-then-optimise: the loss of x(T) from the solver is differentiated by autograd through every
 * solver step, and Adam updates the field's parameters. Full batch; float64.
 */
public final class OdeTraining {
    private OdeTraining() {}

    public record Config(Solver solver, double endTime, int iterations, double lr, double weightDecay) {}

    /** Training loss per iteration, and the final train and test losses. */
    public record History(List<Double> loss, double trainLoss, double testLoss) {}

    public static History train(VectorField f, TwistTask.Data train, TwistTask.Data test, Config c, IntConsumer progress) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        List<Tensor> list = f.parameters();
        for (int i = 0; i < list.size(); i++) params.put("p" + i, list.get(i));
        List<Double> losses = new ArrayList<>();
        try (Optimizer opt = new Optimizer.Adam(0.9, 0.999, 1e-8, c.weightDecay())) {
            for (int it = 0; it < c.iterations(); it++) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor loss = torch.mse_loss(c.solver().solve(f, train.x(), c.endTime()).x(), train.y());
                    double l = loss.item_double();
                    if (!Double.isFinite(l)) throw new NumericFailure("neural ODE training diverged at iteration " + (it + 1) + ": loss " + l);
                    List<Tensor> grads = Gradients.grad(loss, list, false);
                    Map<String, Tensor> g = new LinkedHashMap<>();
                    for (int i = 0; i < list.size(); i++) g.put("p" + i, grads.get(i));
                    opt.step(params, g, c.lr());
                    losses.add(l);
                }
                progress.accept(it + 1);
            }
        }
        return new History(losses, loss(f, train, c), loss(f, test, c));
    }

    public static double loss(VectorField f, TwistTask.Data d, Config c) {
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            return torch.mse_loss(c.solver().solve(f, d.x(), c.endTime()).x(), d.y()).item_double();
        }
    }
}
