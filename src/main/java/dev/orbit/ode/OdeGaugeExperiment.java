package dev.orbit.ode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.report.HtmlReport;
import dev.orbit.symmetry.GaugeElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * {@code orbit experiment ode-gauge}: trains a linear and a non-linear neural ODE on the twist task through the
 * solver, then (1) measures x(T) invariance under random spatial and time gauges against solver and step
 * size, (2) checks that the discrete spatial gauge of the unrolled Euler chain is Orbit's per-neuron rescaling,
 * (3) exports the unrolled models to ONNX and runs them in ONNX Runtime, and (4) fixes a gauge by weight decay
 * and by the linear-transport regulariser, recording w(t) in every gauge.
 */
public final class OdeGaugeExperiment implements Experiment<OdeGaugeExperiment.Config, OdeGaugeExperiment.Result> {
    static final int DIMENSION = 2;

    @Override
    public String name() { return "ode-gauge"; }

    /** 300 Adam iterations per model, 4 random gauges per solver setting, step sizes down to 1/1024. */
    @Override
    public Config defaults() { return Config.of(false, 0, 300, 4); }

    /** 30 iterations, 1 gauge, two step sizes per solver; the seed stays. */
    @Override
    public Config quick(Config c) { return Config.of(true, c.seed(), 30, 1); }

    /** Trains, measures and exports; the unrolled ONNX models go to {@code context.folder()} when it is set. */
    @Override
    public Result run(Config c, Context context) {
        context.phase("ode-gauge", c.work());
        return run(c, (file, model) -> {
            if (context.folder() != null) OnnxExporter.write(model, context.folder().resolve(file));
        }, context::step);
    }

    @Override
    public HtmlReport report(Result r) { return OdeGaugeReport.html(r); }

    @Override
    public String headline(Result r) { return "x(T) is gauge invariant up to discretisation error"; }

    @Override
    public String summary(Result r) { return OdeGaugeReport.text(r); }

    public record Config(long seed, double endTime, int iterations, int trainSamples, int testSamples, int gauges,
                         int gridIntervals, int hidden, int trainSteps, int chainSteps, int fixModes, int fixIterations,
                         boolean fixFromRandomGauge, double checkTolerance, InvarianceStudy.Settings settings) {
        public static Config of(boolean quick, long seed, int iterations, int gauges) {
            InvarianceStudy.Settings s = quick
                    ? new InvarianceStudy.Settings(new int[] {16, 32}, new int[] {8, 16}, new double[] {1e-4, 1e-6})
                    : new InvarianceStudy.Settings(new int[] {16, 32, 64, 128, 256, 512, 1024}, new int[] {8, 16, 32, 64, 128, 256, 512},
                    new double[] {1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11});
            return new Config(seed, 1.0, iterations, 256, 256, gauges, 8, 16, 16, 32, 6, quick ? 30 : 300, !quick, quick ? 1e-10 : 1e-12, s);
        }

        /** Progress units: training iterations, gauge-fixing iterations, invariance settings. */
        public long work() { return 2L * iterations + (fixFromRandomGauge ? 4L : 2L) * fixIterations + 4L * settings.count(); }
    }

    public record ModelSummary(String name, String field, int parameters, String trainingSolver, double trainLoss,
                               double testLoss, List<Double> lossCurve) {}

    /** The discrete gauge against Orbit's rescaling; errors are max relative differences. */
    public record DiscreteCheck(int steps, int freeSpacesResidualForm, int freeSpacesTransportForm,
                                double parameterDifference, double weightChange, double transportVsResidual,
                                double movedVsOriginal, double gaugedResidualVsOriginal, double solverVsOnnx) {}

    public record ExportCheck(String file, String model, String solver, int nodes, double onnxRuntimeVsSolver) {}

    /**
     * One gauge fixing. {@code distanceToFixFromTrained} (only for the run started from a random gauge): max |Δw(t)| /
     * max |w(t)| between this run's fixed w(t) and the one fixed from the trained gauge — small when the functional
     * picks the same point of the orbit whatever the start.
     */
    public record FixingSummary(String objective, boolean fromRandomGauge, double before, double after, double endStateChange,
                                Double distanceToFixFromTrained) {}

    /** w(t) entries sampled on [0, T], one map of series per gauge. */
    public record Curves(double[] t, Map<String, Map<String, double[]>> byGauge) {}

    public record Result(Config config, double affineFloor, List<ModelSummary> models, List<InvarianceStudy.Point> invariance,
                         List<InvarianceStudy.Order> orders, DiscreteCheck discrete, List<ExportCheck> exports,
                         List<FixingSummary> fixing, Map<String, Curves> curves, double seconds) {}

    public static Result run(Config c, BiConsumer<String, Model> export, LongConsumer progress) {
        long t0 = System.nanoTime();
        long[] done = {0};
        SplittableRandom rng = new SplittableRandom(c.seed());
        TwistTask.Data train = TwistTask.sample(c.trainSamples(), c.seed() * 31 + 1);
        TwistTask.Data test = TwistTask.sample(c.testSamples(), c.seed() * 31 + 2);
        double floor;
        try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            floor = TwistTask.bestAffineLoss(train);
        }
        double T = c.endTime();
        long[] wShape = {DIMENSION, DIMENSION};
        long[] bShape = {DIMENSION};
        LinearField linear = new LinearField(GridFunction.random(c.gridIntervals(), wShape, 0.3, T, rng),
                GridFunction.random(c.gridIntervals(), bShape, 0.1, T, rng));
        NonlinearField nonlinear = NonlinearField.random(new LinearField(NetFunction.random(8, wShape, 0.3, T, rng),
                NetFunction.random(8, bShape, 0.1, T, rng)), c.hidden(), T, rng);

        Solver training = new Solver.Rk4(c.trainSteps());
        List<ModelSummary> models = new ArrayList<>();
        models.add(train("linear", "w(t), b(t) piecewise linear on " + c.gridIntervals() + " intervals", linear, train, test,
                new OdeTraining.Config(training, T, c.iterations(), 0.05, 0), done, progress));
        models.add(train("nonlinear", "w(t), b(t) small networks of t + B·tanh(A·x + u·t + c), " + c.hidden() + " hidden",
                nonlinear, train, test, new OdeTraining.Config(training, T, c.iterations(), 0.02, 0), done, progress));

        Tensor x0 = test.x().narrow(0, 0, Math.min(64, test.size()));
        List<InvarianceStudy.Point> points = new ArrayList<>();
        Map<String, VectorField> firstGauged = new LinkedHashMap<>();
        for (var m : List.of(Map.entry("linear", (VectorField) linear), Map.entry("nonlinear", (VectorField) nonlinear))) {
            for (InvarianceStudy.GaugeKind kind : InvarianceStudy.GaugeKind.values()) {
                List<VectorField> gauged = new ArrayList<>();
                for (int i = 0; i < c.gauges(); i++) gauged.add(randomGauge(m.getValue(), kind, T, rng));
                firstGauged.put(m.getKey() + "|" + kind, gauged.getFirst());
                long base = done[0];
                points.addAll(InvarianceStudy.run(m.getKey(), m.getValue(), kind, gauged, x0, T, c.settings(),
                        k -> progress.accept(done[0] = base + k)));
            }
        }
        List<InvarianceStudy.Order> orders = InvarianceStudy.orders(points, 1e-12);

        DiscreteCheck discrete = discreteCheck(linear, c.chainSteps(), T, x0, rng, export);
        List<ExportCheck> exports = new ArrayList<>();
        exports.add(exportCheck("linear-rk4.onnx", "linear", linear, training, T, x0, export));
        exports.add(exportCheck("nonlinear-rk4.onnx", "nonlinear", nonlinear, training, T, x0, export));
        exports.add(exportCheck("linear-euler.onnx", "linear", linear, new Solver.Euler(c.chainSteps()), T, x0, export));

        List<FixingSummary> fixing = new ArrayList<>();
        Map<String, Curves> curves = new LinkedHashMap<>();
        double[] times = new double[201];
        for (int i = 0; i < times.length; i++) times[i] = T * i / (times.length - 1);
        Map<String, Map<String, double[]>> linearCurves = new LinkedHashMap<>();
        linearCurves.put("trained", entries(linear, times));
        linearCurves.put("random spatial gauge", entries(((GaugedField.Spatial) firstGauged.get("linear|SPATIAL")), times));
        linearCurves.put("random time gauge", entries(((GaugedField.Temporal) firstGauged.get("linear|TIME")), times));
        LinearField randomlyGauged = GaugeAction.spatial(linear, ((GaugedField.Spatial) firstGauged.get("linear|SPATIAL")).gauge());
        for (GaugeFixing.Objective o : GaugeFixing.Objective.values()) {
            Map<String, double[]> fixedFromTrained = null;
            for (boolean fromRandom : c.fixFromRandomGauge() ? new boolean[] {false, true} : new boolean[] {false}) {
                LinearField start = fromRandom ? randomlyGauged : linear;
                GaugeFixing.Result r = GaugeFixing.fix(start, o, c.fixModes(), c.fixIterations(), 0.05, T, 128);
                // solve through the field transform (one gauge frame per evaluation); plot the closed-form coefficients
                double change = endStateChange(linear, new GaugedField.Spatial(start, r.gauge()), x0, T, c.checkTolerance());
                Map<String, double[]> fixedCurves = entries(GaugeAction.spatial(start, r.gauge()), times);
                Double distance = fromRandom ? distance(fixedFromTrained, fixedCurves) : null;
                if (!fromRandom) fixedFromTrained = fixedCurves;
                fixing.add(new FixingSummary(o.name().toLowerCase(), fromRandom, r.before(), r.after(), change, distance));
                // one chart per functional: the curves from both starting points side by side
                Map<String, double[]> chart = linearCurves.computeIfAbsent(o.label, k -> new LinkedHashMap<>());
                fixedCurves.forEach((entry, v) -> chart.put(entry + (fromRandom ? " from random gauge" : ""), v));
                progress.accept(done[0] += c.fixIterations());
            }
        }
        curves.put("linear", new Curves(times, linearCurves));
        Map<String, Map<String, double[]>> nonlinearCurves = new LinkedHashMap<>();
        nonlinearCurves.put("trained", entries(nonlinear.linear(), times));
        nonlinearCurves.put("random spatial gauge", entries(GaugeAction.spatial(nonlinear.linear(),
                ((GaugedField.Spatial) firstGauged.get("nonlinear|SPATIAL")).gauge()), times));
        curves.put("nonlinear", new Curves(times, nonlinearCurves));
        return new Result(c, floor, models, points, orders, discrete, exports, fixing, curves, (System.nanoTime() - t0) / 1e9);
    }

    private static ModelSummary train(String name, String field, VectorField f, TwistTask.Data train, TwistTask.Data test,
                                      OdeTraining.Config c, long[] done, LongConsumer progress) {
        long base = done[0];
        OdeTraining.History h = OdeTraining.train(f, train, test, c, k -> progress.accept(done[0] = base + k));
        int params = f.parameters().stream().mapToInt(t -> (int) t.numel()).sum();
        return new ModelSummary(name, field, params, c.solver().toString(), h.trainLoss(), h.testLoss(), h.loss());
    }

    static VectorField randomGauge(VectorField f, InvarianceStudy.GaugeKind kind, double endTime, SplittableRandom rng) {
        return switch (kind) {
            case SPATIAL -> new GaugedField.Spatial(f, MatrixGauge.random(f.dimension(), 4, 0.6, false, endTime, rng));
            case TIME -> new GaugedField.Temporal(f, TimeReparametrisation.random(4, 0.5, endTime, rng));
        };
    }

    /** w(t) entries of a linear field, or of the linear part a gauged field would have. */
    private static Map<String, double[]> entries(VectorField f, double[] times) {
        LinearField l = switch (f) {
            case LinearField lf -> lf;
            case GaugedField.Spatial s when s.base() instanceof LinearField lf -> GaugeAction.spatial(lf, s.gauge());
            case GaugedField.Temporal r when r.base() instanceof LinearField lf -> GaugeAction.temporal(lf, r.reparametrisation());
            default -> throw new IllegalArgumentException("w(t) is defined for linear fields");
        };
        int d = l.dimension();
        Map<String, double[]> out = new LinkedHashMap<>();
        double[][] v = new double[d * d][times.length];
        try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            for (int i = 0; i < times.length; i++) {
                double[] w = Tensors.values(l.w().at(times[i]));
                for (int j = 0; j < w.length; j++) v[j][i] = w[j];
            }
        }
        for (int j = 0; j < d * d; j++) out.put("w" + (j / d + 1) + (j % d + 1), v[j]);
        return out;
    }

    /** max over entries and times of |a − b|, relative to max |a|. */
    private static double distance(Map<String, double[]> a, Map<String, double[]> b) {
        double diff = 0;
        double scale = 0;
        for (var e : a.entrySet()) {
            double[] y = b.get(e.getKey());
            for (int i = 0; i < y.length; i++) {
                diff = Math.max(diff, Math.abs(e.getValue()[i] - y[i]));
                scale = Math.max(scale, Math.abs(e.getValue()[i]));
            }
        }
        return diff / scale;
    }

    private static double endStateChange(VectorField a, VectorField b, Tensor x0, double endTime, double rtol) {
        try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            Solver tight = new Solver.DormandPrince(rtol, rtol * 1e-2);
            return OrtCheck.relativeError(tight.solve(b, x0, endTime).x(), tight.solve(a, x0, endTime).x());
        }
    }

    private static DiscreteCheck discreteCheck(LinearField f, int steps, double endTime, Tensor x0, SplittableRandom rng,
                                               BiConsumer<String, Model> export) {
        try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            EulerChain chain = EulerChain.of(f, steps, endTime);
            SineSeries[] g = new SineSeries[DIMENSION];
            for (int i = 0; i < g.length; i++) g[i] = SineSeries.random(4, 1.0, endTime, rng);
            double[][] samples = DiscreteGauge.sample(g, steps);
            Model residual = chain.residualModel();
            Model transport = chain.transportModel();
            SymmetryAnalysis a = SpaceAnalyzer.analyze(transport);
            GaugeElement element = DiscreteGauge.element(a, g, steps);
            Model moved = OrbitAction.apply(transport, a, element);
            EulerChain gauged = chain.gauged(samples);
            double diff = 0;
            double change = 0;
            for (int k = 0; k < steps; k++) {
                double[] orbit = moved.graph().parameter(EulerChain.transportName(k)).toDoubleArray();
                double[] before = transport.graph().parameter(EulerChain.transportName(k)).toDoubleArray();
                double[][] formula = gauged.transport(k);
                for (int i = 0; i < DIMENSION; i++) {
                    for (int j = 0; j < DIMENSION; j++) {
                        double v = formula[i][j];
                        diff = Math.max(diff, Math.abs(orbit[i * DIMENSION + j] - v) / Math.max(Math.abs(v), 1e-300));
                        change = Math.max(change, Math.abs(orbit[i * DIMENSION + j] - before[i * DIMENSION + j]) / Math.abs(before[i * DIMENSION + j]));
                    }
                }
            }
            Tensor reference = OrtCheck.run(residual, x0);
            export.accept("linear-euler-residual.onnx", residual);
            export.accept("linear-euler-transport.onnx", transport);
            export.accept("linear-euler-transport-gauged.onnx", moved);
            int freeResidual = (int) SpaceAnalyzer.analyze(residual).spaces().stream().filter(x -> x.scaling() != Scaling.NONE).count();
            int freeTransport = (int) a.spaces().stream().filter(x -> x.scaling() != Scaling.NONE).count();
            return new DiscreteCheck(steps, freeResidual, freeTransport, diff, change,
                    OrtCheck.relativeError(OrtCheck.run(transport, x0), reference),
                    OrtCheck.relativeError(OrtCheck.run(moved, x0), reference),
                    OrtCheck.relativeError(OrtCheck.run(gauged.residualModel(), x0), reference),
                    OrtCheck.relativeError(new Solver.Euler(steps).solve(f, x0, endTime).x(), reference));
        }
    }

    private static ExportCheck exportCheck(String file, String name, VectorField f, Solver s, double endTime, Tensor x0,
                                           BiConsumer<String, Model> export) {
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            Model m = UnrolledModel.of(f, s, endTime);
            export.accept(file, m);
            double err = OrtCheck.relativeError(OrtCheck.run(m, x0), s.solve(f, x0, endTime).x());
            return new ExportCheck(file, name, s.toString(), m.graph().nodes().size(), err);
        }
    }
}
