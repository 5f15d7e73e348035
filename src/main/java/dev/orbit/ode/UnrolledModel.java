package dev.orbit.ode;

import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Model;

/**
 * Exports a neural ODE solved by a fixed-step solver as the unrolled network it is: one residual block per
 * Euler step (x ← x + h·F(t_k, x)), four field evaluations per RK4 step, every time-dependent coefficient
 * sampled at its stage time and stored as a float64 constant. Plain ONNX (MatMul, Add, Mul, Tanh): any runtime
 * runs it. Adaptive solvers choose their steps per input, so they have no single unrolled graph.
 */
public final class UnrolledModel {
    private final GraphWriter out = new GraphWriter();
    private final double endTime;
    private int evaluation;

    private UnrolledModel(double endTime) { this.endTime = endTime; }

    public static Model of(VectorField f, Solver solver, double endTime) {
        UnrolledModel u = new UnrolledModel(endTime);
        try (NoGradGuard ng = new NoGradGuard()) {
            String x = GraphWriter.INPUT;
            switch (solver) {
                case Solver.Euler e -> {
                    double h = endTime / e.steps();
                    String hc = u.out.scalar("h", h);
                    for (int k = 0; k < e.steps(); k++) {
                        String fx = u.field(f, k * h, x);
                        x = k == e.steps() - 1 ? u.out.opTo(GraphWriter.OUTPUT, "Add", Attributes.NONE, x, u.out.op("Mul", fx, hc))
                                : u.out.op("Add", x, u.out.op("Mul", fx, hc));
                    }
                }
                case Solver.Rk4 r -> {
                    double h = endTime / r.steps();
                    String half = u.out.scalar("h_half", h / 2);
                    String full = u.out.scalar("h", h);
                    String sixth = u.out.scalar("h_sixth", h / 6);
                    String two = u.out.scalar("two", 2.0);
                    for (int k = 0; k < r.steps(); k++) {
                        double t = k * h;
                        String k1 = u.field(f, t, x);
                        String k2 = u.field(f, t + h / 2, u.out.op("Add", x, u.out.op("Mul", k1, half)));
                        String k3 = u.field(f, t + h / 2, u.out.op("Add", x, u.out.op("Mul", k2, half)));
                        String k4 = u.field(f, t + h, u.out.op("Add", x, u.out.op("Mul", k3, full)));
                        // same association as Solver.Rk4: (k1 + k4) + 2·(k2 + k3)
                        String sum = u.out.op("Add", u.out.op("Add", k1, k4), u.out.op("Mul", u.out.op("Add", k2, k3), two));
                        String step = u.out.op("Mul", sum, sixth);
                        x = k == r.steps() - 1 ? u.out.opTo(GraphWriter.OUTPUT, "Add", Attributes.NONE, x, step)
                                : u.out.op("Add", x, step);
                    }
                }
                case Solver.DormandPrince d -> throw new IllegalArgumentException(
                        "an adaptive solver picks its steps per input: export with a fixed-step solver (Euler or RK4)");
            }
        }
        return u.out.model("neural_ode", f.dimension(), "neural ODE on [0, " + endTime + "] unrolled by " + solver,
                Map.of("orbit.ode.solver", solver.toString(), "orbit.ode.end_time", Double.toString(endTime)));
    }

    /** Emits F(t, x) and returns the name of its value. */
    private String field(VectorField f, double t, String x) {
        String id = "f" + (evaluation++);
        return switch (f) {
            case LinearField l -> linear(l, t, x, id);
            case NonlinearField n -> {
                String hidden = out.op("Add", out.op("MatMul", x, out.constant(id + ".A_t", n.a().t())),
                        out.constant(id + ".hidden_bias", Tensors.axpy(n.c(), t / n.endTime(), n.u())));
                String net = out.op("MatMul", out.op("Tanh", hidden), out.constant(id + ".B_t", n.bOut().t()));
                yield out.op("Add", linear(n.linear(), t, x, id), net);
            }
            case GaugedField.Spatial s -> {
                MatrixGauge.Frame fr = s.gauge().at(t);
                String inner = field(s.base(), t, out.op("MatMul", x, out.constant(id + ".Ginv_t", fr.gInv().t())));
                String connection = out.op("MatMul", x, out.constant(id + ".connection_t", torch.matmul(fr.gDot(), fr.gInv()).t()));
                yield out.op("Add", connection, out.op("MatMul", inner, out.constant(id + ".G_t", fr.g().t())));
            }
            case GaugedField.Temporal r -> out.op("Mul", field(r.base(), r.reparametrisation().time(t), x),
                    out.scalar(id + ".rate", r.reparametrisation().rate(t)));
        };
    }

    private String linear(LinearField l, double t, String x, String id) {
        Tensor w = l.w().at(t);
        return out.op("Add", out.op("MatMul", x, out.constant(id + ".w_t", w.t())), out.constant(id + ".b", l.b().at(t)));
    }
}
