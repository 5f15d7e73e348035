package dev.orbit.spectra;

import java.nio.file.Path;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ModelFile;
import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.ops.activation.Relu;
import dev.orbit.report.HtmlReport;
import dev.orbit.train.Initializer;

/**
 * {@code jacobian --model}: the input–output Jacobian spectrum of a trained model at bundled test digits, next to the
 * same architecture at Kaiming initialisation (a plain Gemm MLP only). Free probability has no prediction for trained
 * weights; for a ReLU MLP the prediction of m₁ at initialisation is given beside it. Default: the bundled classifier at
 * 200 digits; quick: 20 digits.
 */
public final class TrainedJacobianExperiment implements Experiment<TrainedJacobianExperiment.Config, TrainedJacobianExperiment.Result> {
    /** {@code model} null for the bundled classifier; {@code seed} initialises the twin. */
    public record Config(String model, int points, long seed) {}

    /** The trained spectrum and, for a Gemm MLP, the same architecture at initialisation (result.json). */
    public record Result(String model, int points, int outputs, int inputs, Stats trained, String architecture, Stats initialised,
                         Double freeProbabilityMeanAtInit) {}

    /** Summary figures of one spectrum and the eigenvalues of JJᵀ, ascending. */
    public record Stats(double mean, double varianceRatio, double min, double max, double[] eigenvalues) {
        static Stats of(TrainedJacobian.Result r) {
            double[] e = r.eigenvalues();
            return new Stats(r.mean(), r.varianceRatio(), e[0], e[e.length - 1], e);
        }
    }

    @Override
    public String name() { return "jacobian"; }

    @Override
    public Config defaults() { return new Config(null, 200, 0); }

    @Override
    public Config quick(Config c) { return new Config(c.model(), Math.min(c.points(), 20), c.seed()); }

    @Override
    public Result run(Config c, Context context) {
        Model m = ModelFile.load(c.model());
        MnistData test = MnistData.bundled(MnistData.Split.TEST);
        var spec = TrainedJacobian.mlpSpec(m);
        int points = c.points();
        context.phase("points", spec.isPresent() ? 2L * points : points);
        TrainedJacobian.Result trained = TrainedJacobian.measure(m, test.images(), points, context::step);
        TrainedJacobian.Result atInit = null;
        if (spec.isPresent()) {
            var mlp = spec.get();
            Model fresh = NetworkBuilder.build(mlp, new Initializer.Kaiming(mlp.activation().gain()), c.seed());
            atInit = TrainedJacobian.measure(fresh, test.images(), points, k -> context.step(points + k));
        }
        return new Result(ModelFile.label(c.model()), points, trained.outputs(), trained.inputs(), Stats.of(trained),
                spec.map(Object::toString).orElse(null), atInit == null ? null : Stats.of(atInit),
                spec.map(TrainedJacobianExperiment::reluMeanAtInit).orElse(null));
    }

    /**
     * Free probability's m₁ of a ReLU MLP at Kaiming initialisation: Π σ_w²·p over the layers, with σ_w² = 2 per layer
     * and p = 1/2 after each hidden layer (the output layer has no ReLU). Null for other activations.
     */
    static Double reluMeanAtInit(ArchSpec.Mlp mlp) {
        if (!(mlp.activation().op() instanceof Relu)) return null;
        int layers = mlp.widths().size() - 1;
        return Math.pow(2, layers) * Math.pow(0.5, layers - 1);
    }

    @Override
    public HtmlReport report(Result r) { return TrainedJacobianReport.of(r); }

    @Override
    public String headline(Result r) { return "trained model " + Path.of(r.model()).getFileName(); }

    @Override
    public String summary(Result r) {
        StringBuilder b = new StringBuilder();
        Stats init = r.initialised();
        b.append(String.format("Jacobian of %s at %d bundled test digits: J is %d×%d, %d eigenvalues of JJᵀ%n", r.model(), r.points(), r.outputs(),
                r.inputs(), r.trained().eigenvalues().length));
        b.append(String.format("  %-22s %14s %14s%n", "quantity", "trained", init == null ? "" : "at init"));
        b.append(String.format("  %-22s %14.5g %14s%n", "m₁", r.trained().mean(), init == null ? "" : JacobianReport.fmt(init.mean())));
        b.append(String.format("  %-22s %14.5g %14s%n", "var/m₁²", r.trained().varianceRatio(), init == null ? "" : JacobianReport.fmt(init.varianceRatio())));
        b.append(String.format("  %-22s %14.5g %14s%n", "λ_max", r.trained().max(), init == null ? "" : JacobianReport.fmt(init.max())));
        if (r.freeProbabilityMeanAtInit() != null) {
            b.append(String.format("  free-probability m₁ of %s at Kaiming initialisation: %.4g%n", r.architecture(), r.freeProbabilityMeanAtInit()));
        }
        return b.toString();
    }
}
