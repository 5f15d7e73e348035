package dev.orbit.ode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.HtmlReport;
import dev.orbit.report.Charts;

/** The report of {@link OdeGaugeExperiment}: the HTML page and the terminal summary. */
final class OdeGaugeReport {
    private static final double PLOT_FLOOR = 1e-17;

    private OdeGaugeReport() {}

    static HtmlReport html(OdeGaugeExperiment.Result r) {
        HtmlReport h = new HtmlReport("Gauge symmetries of neural ODEs and residual chains");
        h.heading("The model");
        h.paragraph("A neural ODE ẋ = F(t, x) on [0, T], T = " + r.config().endTime() + ", discretises to a residual network "
                + "x ← x + h·F(t, x). Its symmetries are diffeomorphisms that are trivial at 0 and T: a spatial gauge x' = G(t)x, "
                + "G = exp(Σ_k C_k sin(kπt/T)), acting as w → G w G⁻¹ + Ġ G⁻¹, b → G b on the linear part (the network part: "
                + "A → A G⁻¹, B → G B), and a time gauge t = s − f(s), |ḟ| < 1, acting as F → (1 − ḟ)·F(s − f(s), ·) "
                + "(to first order w → w − d/dt(w f)). Both leave x(T) unchanged in continuous time; a solver sees the transformed "
                + "field and reproduces x(T) only up to its discretisation error.");
        training(h, r);
        invariance(h, r);
        discrete(h, r);
        exports(h, r);
        curves(h, r);
        h.paragraph(String.format("Seed %d; %d random gauges per solver setting; run time %.1f s.", r.config().seed(), r.config().gauges(), r.seconds()));
        return h;
    }

    private static void training(HtmlReport h, OdeGaugeExperiment.Result r) {
        h.heading("Training through the solver");
        h.paragraph("Task: points of the unit disk mapped to y = 1.3·R(0.6 + 2r²)·x (a rotation that grows with the radius), "
                + r.config().trainSamples() + " training and " + r.config().testSamples() + " test points. Loss: mean squared error of x(T). "
                + "Discretise-then-optimise: autograd differentiates through every RK4 step; Adam, full batch, float64. A linear ODE "
                + "computes an affine map, so the best affine least-squares fit is its floor.");
        List<List<String>> rows = new ArrayList<>();
        for (var m : r.models()) {
            rows.add(List.of(m.name(), m.field(), Integer.toString(m.parameters()), m.trainingSolver(),
                    String.format("%.4e", m.trainLoss()), String.format("%.4e", m.testLoss())));
        }
        h.table(List.of("model", "vector field", "parameters", "solver", "train MSE", "test MSE"), rows);
        h.paragraph(String.format("Best affine map (least squares on the training set): MSE %.4e.", r.affineFloor()));
        int n = r.models().getFirst().lossCurve().size();
        double[] x = new double[n];
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) x[i] = i + 1;
        for (var m : r.models()) series.put(m.name(), m.lossCurve().stream().mapToDouble(Double::doubleValue).toArray());
        h.chart(Charts.smoothLines("Training loss", "iteration", "MSE", x, series), "Look at the plateau: both models converge, the non-linear one below the linear model's affine floor.");
    }

    private static void invariance(HtmlReport h, OdeGaugeExperiment.Result r) {
        h.heading("Invariance of x(T) against solver and step size");
        h.paragraph("For each solver setting the trained field and each random gauge transform of it are solved by the same solver "
                + "on 64 test inputs. Invariance error: max |x'(T) − x(T)| / max |x(T)|, worst over the gauges. Discretisation "
                + "error: the same measure between the untransformed solution and a Dormand–Prince reference at rtol 1e-12. "
                + "Spatial gauges: full 2×2 matrices, 4 sine modes, amplitude 0.6; time gauges: 4 modes, |ḟ| ≤ 0.5. The step size "
                + "of the adaptive solver is T / accepted steps.");
        for (String model : List.of("linear", "nonlinear")) {
            List<Charts.Series> series = new ArrayList<>();
            Map<String, List<InvarianceStudy.Point>> groups = new LinkedHashMap<>();
            for (var p : r.invariance()) {
                if (p.model().equals(model)) groups.computeIfAbsent(p.solver() + ", " + p.gauge() + " gauge", k -> new ArrayList<>()).add(p);
            }
            groups.forEach((name, ps) -> series.add(Charts.Series.connected(name,
                    ps.stream().mapToDouble(InvarianceStudy.Point::stepSize).toArray(),
                    ps.stream().mapToDouble(p -> Math.max(p.invarianceError(), PLOT_FLOOR)).toArray())));
            h.chart(Charts.logLog("x(T) invariance error, " + model + " neural ODE", "step size h", "invariance error", series),
                    "Look at the slopes: each line falls with h at its solver's order (1 for Euler, 4 for RK4), so the gauge breaks x(T) only "
                            + "by discretisation error (log-log; values of 0 drawn at " + PLOT_FLOOR + ").");
        }
        List<List<String>> orders = new ArrayList<>();
        for (var o : r.orders()) {
            orders.add(List.of(o.model(), o.gauge(), o.solver(), Double.isNaN(o.slope()) ? "—" : String.format("%.2f", o.slope()),
                    Integer.toString(o.points())));
        }
        h.table(List.of("model", "gauge", "solver", "fitted order (slope of log error vs log h)", "points above 1e-12"), orders);
        h.paragraph("Euler is first order and RK4 fourth order, Dormand–Prince fifth order in its mean step. The piecewise-linear "
                + "coefficients of the linear model have kinks at the grid knots: fixed steps that line up with the knots keep RK4's "
                + "order under a spatial gauge (which does not move time), but a time gauge moves the kinks off the step grid, "
                + "and RK4 drops to second order there. The non-linear model's coefficients are smooth networks of t.");
        List<List<String>> rows = new ArrayList<>();
        for (var p : r.invariance()) {
            rows.add(List.of(p.model(), p.gauge(), p.solver(), p.setting(), Integer.toString(p.steps()), String.format("%.2e", p.stepSize()),
                    Integer.toString(p.evaluations()), String.format("%.2e", p.invarianceError()), String.format("%.2e", p.discretisationError())));
        }
        h.table(List.of("model", "gauge", "solver", "setting", "steps", "h", "field evaluations", "invariance error", "discretisation error"), rows);
    }

    private static void discrete(HtmlReport h, OdeGaugeExperiment.Result r) {
        var d = r.discrete();
        h.heading("The discrete spatial gauge is Orbit's per-neuron rescaling");
        h.paragraph("The trained linear ODE, unrolled by Euler with " + d.steps() + " steps, is a residual chain x_{k+1} = x_k + h(w_k x_k + b_k). "
                + "In that residual form Orbit's analysis merges every step's space with the fixed input through the skip Add, so it "
                + "allows no rescaling (" + d.freeSpacesResidualForm() + " free spaces): a time-dependent gauge is not a symmetry of "
                + "the skip connection alone. Folding the skip into the layer gives the integrated weight W_k = I + h·w_k (one Gemm per "
                + "step, same function): now every interior state is a free space (" + d.freeSpacesTransportForm() + " free), the input "
                + "and output stay fixed — exactly g(0) = g(T) = 0. A diagonal gauge g(t) sampled at the steps, D_k = diag(e^{g(t_k)}), acts "
                + "by W_k → D_{k+1} W_k D_k⁻¹ (in row form e^{−g(t)} W e^{g(t+Δt)}); Orbit's element scales the space of x_k by e^{g(t_k)}.");
        h.table(List.of("check", "value"), List.of(
                List.of("max relative difference, Orbit-moved W_k vs D_{k+1} W_k D_k⁻¹", String.format("%.1e", d.parameterDifference())),
                List.of("largest relative change of a weight by the move", String.format("%.0f %%", 100 * d.weightChange())),
                List.of("ONNX Runtime: transport form vs residual form", String.format("%.1e", d.transportVsResidual())),
                List.of("ONNX Runtime: Orbit-moved transport form vs residual form", String.format("%.1e", d.movedVsOriginal())),
                List.of("ONNX Runtime: gauged residual form (w'_k = (W'_k − I)/h) vs residual form", String.format("%.1e", d.gaugedResidualVsOriginal())),
                List.of("torch Euler solver vs ONNX Runtime residual form", String.format("%.1e", d.solverVsOnnx()))));
        h.paragraph("Errors are max |a − b| / max |b| over 64 test inputs, float64 throughout. In residual form the gauged weights "
                + "are w'_k = D_{k+1} w_k D_k⁻¹ + (D_{k+1} D_k⁻¹ − I)/h: the discrete G w G⁻¹ + Ġ G⁻¹.");
    }

    private static void exports(HtmlReport h, OdeGaugeExperiment.Result r) {
        h.heading("Export of the unrolled models to ONNX");
        List<List<String>> rows = new ArrayList<>();
        for (var e : r.exports()) {
            rows.add(List.of(e.file(), e.model(), e.solver(), Integer.toString(e.nodes()), String.format("%.1e", e.onnxRuntimeVsSolver())));
        }
        h.table(List.of("file", "model", "solver", "nodes", "ONNX Runtime vs solver"), rows);
        h.paragraph("Fixed-step solvers unroll to plain ONNX (MatMul, Add, Mul, Tanh; float64 constants per stage time). The "
                + "adaptive solver picks its steps per input, so it has no single unrolled graph.");
    }

    private static void curves(HtmlReport h, OdeGaugeExperiment.Result r) {
        h.heading("w(t) before and after: the gauge freedom made visible");
        h.paragraph("Every curve below belongs to the same input-output map. A random spatial gauge reshapes w(t) freely between "
                + "the fixed ends; a time gauge moves its features in time. Gauge fixing minimises a gauge-dependent functional over "
                + "spatial gauges (" + r.config().fixModes() + " sine modes per matrix entry, Adam, " + r.config().fixIterations()
                + " iterations): weight decay ∫‖w‖² dt, the gauge mass term, flattens w(t) toward a constant (for a scalar ODE the "
                + "minimiser is exactly w ≡ mean of w); the linear-transport regulariser ∫‖ẇ + w²‖² + ‖(∂_t + w)b‖² dt picks another gauge. "
                + "Starting from the randomly gauged field instead of the trained one shows whether the functional picks the same point.");
        List<List<String>> rows = new ArrayList<>();
        for (var f : r.fixing()) {
            rows.add(List.of(f.objective(), f.fromRandomGauge() ? "random gauge" : "trained", String.format("%.4e", f.before()),
                    String.format("%.4e", f.after()), String.format("%.1e", f.endStateChange()),
                    f.distanceToFixFromTrained() == null ? "—" : String.format("%.3f", f.distanceToFixFromTrained())));
        }
        h.table(List.of("functional", "start", "before", "after", String.format("x(T) change (Dormand–Prince, rtol %.0e)", r.config().checkTolerance()),
                "w(t) distance to the fix from the trained gauge (max |Δw| / max |w|)"), rows);
        r.curves().forEach((model, c) -> c.byGauge().forEach((gauge, series) ->
                h.chart(Charts.smoothLines("w(t), " + model + " model: " + gauge, "t", "entries of w(t)", c.t(), series),
                        "Entries w_ij(t) of the " + model + " model's field, " + gauge + ": compare the shapes across gauges; every one "
                                + "computes the same x(T).")));
    }

    static String text(OdeGaugeExperiment.Result r) {
        StringBuilder out = new StringBuilder();
        for (var m : r.models()) {
            out.append(String.format("%-9s neural ODE: train MSE %.4e, test MSE %.4e (best affine map %.4e)%n", m.name(), m.trainLoss(), m.testLoss(), r.affineFloor()));
        }
        out.append("x(T) invariance error (worst over gauges) / fitted order in the step size:").append(System.lineSeparator());
        for (var o : r.orders()) {
            double smallest = r.invariance().stream().filter(p -> p.model().equals(o.model()) && p.gauge().equals(o.gauge())
                    && p.solver().equals(o.solver())).mapToDouble(p -> p.invarianceError()).min().orElse(Double.NaN);
            out.append(String.format("  %-9s %-7s %-6s smallest %.1e, order %.2f%n", o.model(), o.gauge(), o.solver(), smallest, o.slope()));
        }
        var d = r.discrete();
        out.append(String.format("discrete gauge = Orbit rescaling: max rel parameter difference %.1e (weights moved up to %.0f%%), ONNX Runtime "
                + "output difference %.1e%n", d.parameterDifference(), 100 * d.weightChange(), d.movedVsOriginal()));
        for (var e : r.exports()) out.append(String.format("exported %s: ONNX Runtime vs solver %.1e%n", e.file(), e.onnxRuntimeVsSolver()));
        for (var f : r.fixing()) {
            out.append(String.format("gauge fixing by %s%s: %.4e → %.4e, x(T) change %.1e%s%n", f.objective(), f.fromRandomGauge() ? " (from a random gauge)" : "",
                    f.before(), f.after(), f.endStateChange(), f.distanceToFixFromTrained() == null ? ""
                            : String.format(", w(t) within %.1f%% of the fix from the trained gauge", 100 * f.distanceToFixFromTrained())));
        }
        return out.toString();
    }
}
