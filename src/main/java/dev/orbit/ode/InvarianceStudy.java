package dev.orbit.ode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Invariance of x(T) under random gauges, against the solver and its step size. For each solver setting the
 * original and every gauged field are solved by the same solver; the invariance error is max |x'(T) − x(T)| /
 * max |x(T)| (worst over the gauges), the discretisation error is the same measure between the original's
 * solution and a reference (Dormand–Prince at rtol 1e-12). Gauge invariance holds exactly in continuous time,
 * so the invariance error should be discretisation error and shrink with the step at the solver's order.
 */
public final class InvarianceStudy {
    private InvarianceStudy() {}

    public enum GaugeKind { SPATIAL, TIME }

    /** One measurement; {@code stepSize} is T/steps (for the adaptive solver: T / accepted steps of the original). */
    public record Point(String model, String gauge, String solver, String setting, int steps, double stepSize,
                        int evaluations, double invarianceError, double discretisationError) {}

    /** The fitted slope of log(invariance error) against log(step size), over the points above the round-off floor. */
    public record Order(String model, String gauge, String solver, double slope, int points) {}

    public record Settings(int[] eulerSteps, int[] rk4Steps, double[] dopriTolerances) {
        public int count() { return eulerSteps.length + rk4Steps.length + dopriTolerances.length; }
    }

    public static List<Solver> solvers(Settings s) {
        List<Solver> out = new ArrayList<>();
        for (int n : s.eulerSteps()) out.add(new Solver.Euler(n));
        for (int n : s.rk4Steps()) out.add(new Solver.Rk4(n));
        for (double tol : s.dopriTolerances()) out.add(new Solver.DormandPrince(tol, tol * 1e-2));
        return out;
    }

    public static List<Point> run(String model, VectorField f, GaugeKind kind, List<VectorField> gauged, Tensor x0,
                                  double endTime, Settings settings, IntConsumer progress) {
        List<Point> points = new ArrayList<>();
        try (PointerScope outer = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            Tensor reference = new Solver.DormandPrince(1e-12, 1e-14).solve(f, x0, endTime).x();
            double scale = Tensors.maxAbs(reference);
            int done = 0;
            for (Solver s : solvers(settings)) {
                try (PointerScope scope = new PointerScope()) {
                    Solver.Solution base = s.solve(f, x0, endTime);
                    double worst = 0;
                    for (VectorField g : gauged) {
                        worst = Math.max(worst, Tensors.maxAbs(torch.sub(s.solve(g, x0, endTime).x(), base.x())) / scale);
                    }
                    double disc = Tensors.maxAbs(torch.sub(base.x(), reference)) / scale;
                    String setting = switch (s) {
                        case Solver.Euler e -> e.steps() + " steps";
                        case Solver.Rk4 r -> r.steps() + " steps";
                        case Solver.DormandPrince d -> String.format("rtol %.0e", d.rtol());
                    };
                    points.add(new Point(model, kind.name().toLowerCase(), s.name(), setting, base.steps(), endTime / base.steps(),
                            base.evaluations(), worst, disc));
                }
                progress.accept(++done);
            }
        }
        return points;
    }

    /** Least-squares slope of log error against log step size, ignoring points at or below {@code floor}. */
    public static List<Order> orders(List<Point> points, double floor) {
        List<Order> out = new ArrayList<>();
        java.util.Map<String, List<Point>> groups = new java.util.LinkedHashMap<>();
        for (Point p : points) groups.computeIfAbsent(p.model() + "|" + p.gauge() + "|" + p.solver(), k -> new ArrayList<>()).add(p);
        for (List<Point> g : groups.values()) {
            List<Point> usable = g.stream().filter(p -> p.invarianceError() > floor).toList();
            double slope = Double.NaN;
            if (usable.size() >= 2) {
                double sx = 0, sy = 0, sxx = 0, sxy = 0;
                for (Point p : usable) {
                    double x = Math.log(p.stepSize());
                    double y = Math.log(p.invarianceError());
                    sx += x;
                    sy += y;
                    sxx += x * x;
                    sxy += x * y;
                }
                int n = usable.size();
                slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
            }
            Point first = g.getFirst();
            out.add(new Order(first.model(), first.gauge(), first.solver(), slope, usable.size()));
        }
        return out;
    }
}
