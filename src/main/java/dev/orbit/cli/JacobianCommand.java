package dev.orbit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.ops.Activation;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;
import dev.orbit.spectra.JacobianExperiment;
import dev.orbit.spectra.MeanField;
import dev.orbit.spectra.TrainedJacobian;
import dev.orbit.spectra.WeightLaw;
import dev.orbit.train.Initializer;

@Command(name = "jacobian", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Singular values of the input-output Jacobian J of a random MLP at initialisation (spectrum of",
                "JJᵀ, float64), against the free-probability prediction at the mean-field fixed point q*: m₁,",
                "var/m₁², λ_max, the density and the L1 distance to it; --ntk adds the one-sample NTK spectrum.",
                "With --model: the Jacobian of a trained ONNX model at bundled test digits, next to the same",
                "architecture at initialisation (there is no prediction for trained weights).",
                "Examples:",
                "  orbit jacobian --init orthogonal --depth 16 --width 1000 --activation hard-tanh --q-star 0.25 --seeds 3 -o out",
                "  orbit jacobian --arch mlp:500-500x8-500:relu --init gaussian -o out",
                "  orbit jacobian --model src/main/resources/models/mnist_mlp.onnx -o out"})
final class JacobianCommand implements Callable<Integer> {
    @Option(names = "--arch", paramLabel = "SPEC", description = "A square MLP spec, e.g. mlp:1000-1000x15-1000:relu (sets depth, width, activation).")
    String arch;

    @Option(names = "--init", paramLabel = "LAW", description = "gaussian (N(0, σ_w²/N)) or orthogonal (σ_w·Haar).")
    String init;

    @Option(names = "--depth", paramLabel = "L", description = "Number of layers L (each N×N, then φ).")
    Integer depth;

    @Option(names = "--width", paramLabel = "N", description = "Width N.")
    Integer width;

    @Option(names = "--activation", paramLabel = "φ", description = "relu, tanh, hard-tanh, erf or linear (default relu).")
    String activation;

    @Option(names = "--q-star", paramLabel = "Q", description = "Critical initialisation (χ₁ = 1) with fixed point q* = Q (default 1).")
    Double qStar;

    @Option(names = "--sigma-w", paramLabel = "S", description = "Weight scale σ_w instead of --q-star.")
    Double sigmaW;

    @Option(names = "--sigma-b", paramLabel = "B", description = "Bias scale σ_b with --sigma-w (default 0).")
    Double sigmaB;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "K", description = "Networks to sample (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", description = "First seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bins", defaultValue = "60", description = "Histogram bins (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--ntk", description = "Also the one-sample NTK spectrum and the learning-rate bound η < 2/λ_max.")
    boolean ntk;

    @Option(names = "--model", paramLabel = "MODEL", description = "A trained ONNX model: its Jacobian at bundled test digits.")
    Path model;

    @Option(names = "--points", defaultValue = "200", description = "Test digits for --model (default ${DEFAULT-VALUE}).")
    int points;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder for result.json, report.html and index.html.")
    Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (model != null) {
            if (arch != null || init != null || depth != null || width != null || activation != null || qStar != null || sigmaW != null) {
                throw new UserError(ExitCodes.USAGE, "--model takes the architecture from the file: drop --arch, --init, --depth, "
                        + "--width, --activation, --q-star and --sigma-w");
            }
            return trained();
        }
        return random();
    }

    // ---- random networks against free probability ----

    private int random() {
        JacobianExperiment.Config c = config();
        if (output != null) ExperimentOutput.prepare(output);
        JacobianExperiment.Result r;
        try (ProgressBar bar = ExperimentOptions.progress("networks", c.seeds())) {
            r = JacobianExperiment.run(c, bar::stepTo);
        } catch (ArithmeticException e) {
            throw new UserError(ExitCodes.NUMERIC, "free-probability density failed: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(table(r));
        if (output != null) {
            ExperimentOutput.write(output, "jacobian", describe(c), r, report(r));
            out.println(ExperimentOutput.wrote(output));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private JacobianExperiment.Config config() {
        if (init == null) throw new UserError(ExitCodes.USAGE, "--init gaussian|orthogonal is required (or --model)");
        WeightLaw law;
        try {
            law = WeightLaw.parse(init);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        int l, n;
        Activation act;
        if (arch != null) {
            if (depth != null || width != null || activation != null) {
                throw new UserError(ExitCodes.USAGE, "--arch sets depth, width and activation: drop --depth, --width, --activation");
            }
            ArchSpec parsed;
            try {
                parsed = ArchSpec.parse(arch);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
            if (!(parsed instanceof ArchSpec.Mlp mlp)) throw new UserError(ExitCodes.USAGE, "--arch must be an mlp: spec");
            if (mlp.widths().stream().distinct().count() != 1) {
                throw new UserError(ExitCodes.USAGE, "the free-probability prediction needs square layers (all widths equal), got " + arch);
            }
            l = mlp.widths().size() - 1;
            n = mlp.inputs();
            act = mlp.activation();
        } else {
            if (depth == null || width == null) throw new UserError(ExitCodes.USAGE, "give --depth and --width (or --arch, or --model)");
            l = depth;
            n = width;
            act = activation(activation == null ? "relu" : activation);
        }
        if (l < 1 || l > 10_000) throw new UserError(ExitCodes.USAGE, "--depth must be in 1..10000, got " + l);
        if (n < 2 || n > 8192) throw new UserError(ExitCodes.USAGE, "--width must be in 2..8192, got " + n);
        if (seeds < 1 || seeds > 1000) throw new UserError(ExitCodes.USAGE, "--seeds must be in 1..1000, got " + seeds);
        if (bins < 2 || bins > 10_000) throw new UserError(ExitCodes.USAGE, "--bins must be in 2..10000, got " + bins);
        if (qStar != null && (sigmaW != null || sigmaB != null)) {
            throw new UserError(ExitCodes.USAGE, "give either --q-star or --sigma-w/--sigma-b, not both");
        }
        if (sigmaB != null && sigmaW == null) throw new UserError(ExitCodes.USAGE, "--sigma-b needs --sigma-w");
        try {
            double q;
            MeanField.Init mf;
            if (sigmaW != null) {
                mf = new MeanField.Init(act, sigmaW, sigmaB == null ? 0 : sigmaB);
                q = MeanField.fixedPoint(mf, 1.0);
                if (!(q > 0)) throw new UserError(ExitCodes.USAGE, "the length map of this initialisation collapses to q* = 0; give σ_b > 0");
            } else {
                q = qStar == null ? 1.0 : qStar;
                mf = MeanField.criticalInit(act, q);
            }
            return new JacobianExperiment.Config(act, law, l, n, mf.sigmaW(), mf.sigmaB(), q, seeds, seed, ntk, bins);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    private static Activation activation(String name) {
        try {
            return StandardOps.registry().activation(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    private static String describe(JacobianExperiment.Config c) {
        return String.format("%s, %s weights, L = %d, N = %d, σ_w = %.4f, σ_b = %.4f, q* = %.4g, χ₁ = %.4f, %d seed%s",
                name(c.activation()), c.weights(), c.depth(), c.width(), c.sigmaW(), c.sigmaB(), c.qStar(), c.chi(), c.seeds(),
                c.seeds() == 1 ? "" : "s");
    }

    private static String name(Activation a) { return a.label(); }

    static String table(JacobianExperiment.Result r) {
        var t = r.theory();
        StringBuilder s = new StringBuilder();
        s.append("Jacobian spectrum (eigenvalues of JJᵀ): ").append(describe(r.config())).append('\n');
        s.append(String.format("  %-26s %14s %14s%n", "quantity", "measured", "theory"));
        s.append(String.format("  %-26s %14.5g %14.5g%n", "m₁ (mean eigenvalue)", r.mean(), t.mean()));
        s.append(String.format("  %-26s %14s %14.5g%n", "var/m₁²", String.format("%.4g ± %.2g", r.varianceRatio(), r.varianceRatioSd()), t.varianceRatio()));
        s.append(String.format("  %-26s %14.5g %14.5g%n", "λ_max", r.max(), t.edge()));
        double zeroAtom = t.atoms().stream().filter(a -> a.location() == 0).mapToDouble(a -> a.mass()).sum();
        s.append(String.format("  %-26s %14.4f %14.4f%n", "fraction of zeros", r.zeroFraction(), zeroAtom));
        for (var a : t.atoms()) {
            if (a.location() > 0) s.append(String.format("  %-26s %14s %14.4f%n", String.format("atom at λ = %.4g", a.location()), "", a.mass()));
        }
        if (r.histogram() != null) {
            s.append(String.format("  %-26s %14.4f %14s%n", "L1(histogram, density)", r.histogram().l1(),
                    String.format("floor %.4f", r.histogram().l1SamplingFloor())));
        } else {
            s.append("  (isometric: the predicted spectrum is a single point, no density to compare)\n");
        }
        if (r.ntk() != null) {
            var n = r.ntk();
            s.append(String.format("One-sample NTK: mean eigenvalue %.4g (L·q* = %.4g), max/mean %.3f, min/mean %.3f, η < 2/λ_max = %.4g%n",
                    n.mean(), n.depthTimesQStar(), n.maxOverMean(), n.minOverMean(), n.learningRateBound()));
        }
        return s.toString();
    }

    static HtmlReport report(JacobianExperiment.Result r) {
        var c = r.config();
        var t = r.theory();
        HtmlReport h = new HtmlReport("Jacobian spectrum against free probability");
        h.heading("What was run");
        h.paragraph(describe(c) + ". Weights " + (c.weights() == WeightLaw.GAUSSIAN ? "N(0, σ_w²/N)" : "σ_w·O with O Haar-orthogonal")
                + ", biases N(0, σ_b²); the input has ‖x‖²/N = (q* − σ_b²)/σ_w², so every layer's pre-activations have "
                + "length q*. J = D_L W_L ⋯ D_1 W_1 is built layer by layer in float64 (libtorch) and the eigenvalues of JJᵀ "
                + "are the squared singular values of J.");
        h.paragraph("Free probability (Pennington, Schoenholz, Ganguli 2017): S_{JJᵀ} = (S_{WWᵀ}·S_{D²})^L, with "
                + "S_{WWᵀ} = 1/(σ_w²(1 + z)) (Gaussian) or σ_w⁻² (orthogonal) and D² Bernoulli(p) for ReLU/hard-tanh; "
                + "the density is ρ(λ) = |Im M(λ + iη)|/(πλ), found by tracking the physical root of M⁻¹(z) = λ down from λ ≫ λ_max.");
        h.heading("Measured against predicted");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("m₁ (mean eigenvalue)", fmt(r.mean()), fmt(t.mean())));
        rows.add(List.of("var/m₁²", String.format("%.4g ± %.2g (sd over seeds)", r.varianceRatio(), r.varianceRatioSd()), fmt(t.varianceRatio())));
        rows.add(List.of("λ_max (mean over seeds)", fmt(r.max()), fmt(t.edge())));
        double zeroAtom = t.atoms().stream().filter(a -> a.location() == 0).mapToDouble(a -> a.mass()).sum();
        rows.add(List.of("fraction of zero eigenvalues", String.format("%.4f", r.zeroFraction()), String.format("%.4f", zeroAtom)));
        for (var a : t.atoms()) if (a.location() > 0) rows.add(List.of("atom at λ = " + fmt(a.location()), "", String.format("%.4f", a.mass())));
        if (r.histogram() != null) {
            rows.add(List.of("L1(histogram, density) on λ > 0", String.format("%.4f", r.histogram().l1()),
                    String.format("sampling floor %.4f", r.histogram().l1SamplingFloor())));
        }
        h.table(List.of("quantity", "measured", "free probability"), rows);
        if (r.histogram() != null) {
            var hist = r.histogram();
            int b = hist.measured().length;
            double[] centre = new double[b], measured = new double[b], predicted = new double[b];
            for (int i = 0; i < b; i++) {
                double w = hist.edges()[i + 1] - hist.edges()[i];
                centre[i] = 0.5 * (hist.edges()[i] + hist.edges()[i + 1]);
                measured[i] = hist.measured()[i] / w;
                predicted[i] = hist.predicted()[i] / w;
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("Monte Carlo histogram", measured);
            series.put("free probability", predicted);
            h.chart(Charts.lines("Density of the non-zero eigenvalues of JJᵀ", "λ", "density", centre, series),
                    String.format("Both normalised to unit mass on λ > 0 (%d eigenvalues pooled over the seeds); L1 = %.4f, a sample of "
                            + "the same size drawn from the prediction itself shows %.4f.", hist.eigenvalues(), hist.l1(), hist.l1SamplingFloor()));
        }
        double[] depths = new double[c.depth()];
        for (int i = 0; i < depths.length; i++) depths[i] = i + 1;
        Map<String, double[]> byDepth = new LinkedHashMap<>();
        byDepth.put("measured (mean over seeds)", r.varianceRatioByDepth());
        byDepth.put("free probability", t.varianceRatioByDepth());
        h.chart(Charts.lines("var/m₁² of the first l layers' Jacobian", "depth l", "var/m₁²", depths, byDepth),
                "Free probability: L/p for Gaussian and L(1 − p)/p for orthogonal weights with Bernoulli D²; measured from "
                        + "tr(JJᵀ) and ‖JJᵀ‖_F² after every layer.");
        if (r.ntk() != null) {
            var n = r.ntk();
            h.heading("One-sample NTK");
            h.paragraph("NTK = Σ_l (σ_w²‖x_{l−1}‖²/N + σ_b²)·J_{l→L}J_{l→L}ᵀ (NTK parameterisation) at the sampled input; under "
                    + "dynamical isometry it is ≈ L·q*·I. Gradient descent on ½‖f − y‖² at this input is stable for η < 2/λ_max.");
            h.table(List.of("quantity", "value"), List.of(
                    List.of("mean eigenvalue", fmt(n.mean())), List.of("L·q*", fmt(n.depthTimesQStar())),
                    List.of("max/mean", String.format("%.3f", n.maxOverMean())), List.of("min/mean", String.format("%.3f", n.minOverMean())),
                    List.of("learning-rate bound 2/λ_max", fmt(n.learningRateBound()))));
        }
        h.heading("Per seed");
        List<List<String>> seedRows = new ArrayList<>();
        for (var s : r.seeds()) {
            double[] len = s.lengths();
            seedRows.add(List.of(Long.toString(s.seed()), fmt(s.mean()), fmt(s.varianceRatio()), fmt(s.max()), Integer.toString(s.structuralZeros()),
                    String.format("%.4g … %.4g", Arrays.stream(len).min().orElse(0), Arrays.stream(len).max().orElse(0))));
        }
        h.table(List.of("seed", "m₁", "var/m₁²", "λ_max", "zeros", "pre-activation lengths q^l (min … max)"), seedRows);
        return h;
    }

    private static String fmt(double x) { return String.format("%.5g", x); }

    // ---- a trained model at data points ----

    /** Result of {@code --model}: the trained Jacobian spectrum and, for a Gemm MLP, the same architecture at initialisation. */
    record TrainedResult(String model, int points, int outputs, int inputs, Stats trained, String architecture, Stats initialised,
                         Double freeProbabilityMeanAtInit) {}

    record Stats(double mean, double varianceRatio, double min, double max, double[] eigenvalues) {
        static Stats of(TrainedJacobian.Result r) {
            double[] e = r.eigenvalues();
            return new Stats(r.mean(), r.varianceRatio(), e[0], e[e.length - 1], e);
        }
    }

    private int trained() throws IOException {
        if (points < 1 || points > 2000) throw new UserError(ExitCodes.USAGE, "--points must be in 1..2000, got " + points);
        Model m = OnnxImporter.read(model);
        if (output != null) ExperimentOutput.prepare(output);
        MnistData test = MnistData.bundled(MnistData.Split.TEST);
        var spec0 = TrainedJacobian.mlpSpec(m);
        TrainedJacobian.Result trained, atInit = null;
        try (ProgressBar bar = ExperimentOptions.progress("points", spec0.isPresent() ? 2L * points : points)) {
            trained = TrainedJacobian.measure(m, test.images(), points, bar::stepTo);
            if (spec0.isPresent()) {
                var mlp = spec0.get();
                Model fresh = NetworkBuilder.build(mlp, new Initializer.Kaiming(mlp.activation().gain()), seed);
                atInit = TrainedJacobian.measure(fresh, test.images(), points, k -> bar.stepTo(points + k));
            }
        }
        Double predicted = null;
        if (spec0.isPresent() && spec0.get().activation().op() instanceof dev.orbit.ops.activation.Relu) {
            int layers = spec0.get().widths().size() - 1; // m₁ = Π σ_w²·p: σ_w² = 2 per layer, p = 1/2 after each hidden layer
            predicted = Math.pow(2, layers) * Math.pow(0.5, layers - 1);
        }
        var result = new TrainedResult(model.toString(), points, trained.outputs(), trained.inputs(), Stats.of(trained),
                spec0.map(Object::toString).orElse(null), atInit == null ? null : Stats.of(atInit), predicted);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Jacobian of %s at %d bundled test digits: J is %d×%d, %d eigenvalues of JJᵀ%n", model, points, trained.outputs(),
                trained.inputs(), trained.eigenvalues().length);
        out.printf("  %-22s %14s %14s%n", "quantity", "trained", atInit == null ? "" : "at init");
        out.printf("  %-22s %14.5g %14s%n", "m₁", trained.mean(), atInit == null ? "" : fmt(atInit.mean()));
        out.printf("  %-22s %14.5g %14s%n", "var/m₁²", trained.varianceRatio(), atInit == null ? "" : fmt(atInit.varianceRatio()));
        out.printf("  %-22s %14.5g %14s%n", "λ_max", result.trained().max(), atInit == null ? "" : fmt(result.initialised().max()));
        if (predicted != null) out.printf("  free-probability m₁ of %s at Kaiming initialisation: %.4g%n", result.architecture(), predicted);
        if (output != null) {
            ExperimentOutput.write(output, "jacobian", "trained model " + model.getFileName(), result, trainedReport(result));
            out.println(ExperimentOutput.wrote(output));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static HtmlReport trainedReport(TrainedResult r) {
        HtmlReport h = new HtmlReport("Jacobian spectrum of a trained model");
        h.heading("What was run");
        h.paragraph(String.format("Input-output Jacobian of %s at the first %d bundled test digits, by autograd through Orbit's "
                + "evaluator with every parameter in float64; J is %d×%d per digit, so each digit gives %d eigenvalues of JJᵀ.",
                r.model(), r.points(), r.outputs(), r.inputs(), r.outputs()));
        h.paragraph(r.architecture() == null ? "The model is not a plain Gemm MLP, so no freshly initialised twin was built."
                : "Free probability has no prediction for trained weights; the comparison is the same architecture (" + r.architecture()
                        + ") at Kaiming initialisation, measured at the same digits.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("m₁", fmt(r.trained().mean()), r.initialised() == null ? "" : fmt(r.initialised().mean())));
        rows.add(List.of("var/m₁²", fmt(r.trained().varianceRatio()), r.initialised() == null ? "" : fmt(r.initialised().varianceRatio())));
        rows.add(List.of("λ_min", fmt(r.trained().min()), r.initialised() == null ? "" : fmt(r.initialised().min())));
        rows.add(List.of("λ_max", fmt(r.trained().max()), r.initialised() == null ? "" : fmt(r.initialised().max())));
        if (r.freeProbabilityMeanAtInit() != null) rows.add(List.of("free-probability m₁ at initialisation", "", fmt(r.freeProbabilityMeanAtInit())));
        h.table(List.of("quantity", "trained", "at initialisation"), rows);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        List<double[]> sets = r.initialised() == null ? List.of(r.trained().eigenvalues()) : List.of(r.trained().eigenvalues(), r.initialised().eigenvalues());
        for (double[] e : sets) for (double x : e) if (x > 0) {
            lo = Math.min(lo, Math.log10(x));
            hi = Math.max(hi, Math.log10(x));
        }
        int bins = 40;
        double[] centre = new double[bins];
        for (int i = 0; i < bins; i++) centre[i] = lo + (i + 0.5) * (hi - lo) / bins;
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("trained", logHistogram(r.trained().eigenvalues(), lo, hi, bins));
        if (r.initialised() != null) series.put("at initialisation", logHistogram(r.initialised().eigenvalues(), lo, hi, bins));
        h.chart(Charts.lines("Eigenvalues of JJᵀ", "log10 λ", "fraction per bin", centre, series),
                "Histogram of log10 λ (fractions of all eigenvalues).");
        return h;
    }

    private static double[] logHistogram(double[] e, double lo, double hi, int bins) {
        double[] h = new double[bins];
        double width = (hi - lo) / bins;
        for (double x : e) {
            if (!(x > 0)) continue;
            int b = width == 0 ? 0 : (int) ((Math.log10(x) - lo) / width);
            h[Math.max(0, Math.min(bins - 1, b))] += 1.0 / e.length;
        }
        return h;
    }
}
