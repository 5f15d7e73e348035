package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.ops.Activation;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.report.HtmlReport;

/**
 * Monte Carlo Jacobian spectra of random MLPs over several seeds, set against the free-probability prediction:
 * m₁, var/m₁² (overall and for every depth l ≤ L), λ_max, the fraction of structural zeros, and the L1 distance
 * between the histogram of the non-zero eigenvalues and the predicted density (both as probabilities on λ > 0),
 * with the L1 distance a sample of the same size drawn from the prediction itself would show (the noise floor).
 */
public final class JacobianExperiment implements Experiment<JacobianExperiment.Config, JacobianExperiment.Result> {
    public record Config(Activation activation, WeightLaw weights, int depth, int width, double sigmaW, double sigmaB,
                         double qStar, int seeds, long seed, boolean ntk, int bins) {
        public Config {
            if (seeds < 1) throw new IllegalArgumentException("need at least one seed");
            if (bins < 2) throw new IllegalArgumentException("need at least two bins");
        }

        /** The critical initialisation (χ₁ = 1) whose length map has the fixed point {@code qStar}. */
        public static Config critical(Activation a, WeightLaw law, int depth, int width, double qStar, int seeds, long seed, boolean ntk, int bins) {
            MeanField.Init mf = MeanField.criticalInit(a, qStar);
            return new Config(a, law, depth, width, mf.sigmaW(), mf.sigmaB(), qStar, seeds, seed, ntk, bins);
        }

        /** Given weight and bias scales; q* is the length map's fixed point (IllegalArgumentException when it collapses to 0). */
        public static Config scaled(Activation a, WeightLaw law, int depth, int width, double sigmaW, double sigmaB, int seeds, long seed,
                                    boolean ntk, int bins) {
            MeanField.Init mf = new MeanField.Init(a, sigmaW, sigmaB);
            double q = MeanField.fixedPoint(mf, 1.0);
            if (!(q > 0)) throw new IllegalArgumentException("the length map of this initialisation collapses to q* = 0; give σ_b > 0");
            return new Config(a, law, depth, width, mf.sigmaW(), mf.sigmaB(), q, seeds, seed, ntk, bins);
        }

        JacobianMonteCarlo.Config network(int k) {
            return new JacobianMonteCarlo.Config(activation, weights, depth, width, sigmaW, sigmaB, qStar, seed + k);
        }

        public double chi() { return MeanField.chi(new MeanField.Init(activation, sigmaW, sigmaB), qStar); }
    }

    /** Free-probability figures (var/m₁² for each depth l = 1..L). */
    public record Theory(double mean, double varianceRatio, double edge, double continuousEdge, List<SpectralDensity.Atom> atoms,
                         double[] varianceRatioByDepth) {}

    /** One network's figures. */
    public record SeedResult(long seed, double mean, double varianceRatio, double max, int structuralZeros, double[] lengths,
                             double[] varianceRatioByDepth, Ntk ntk) {}

    /**
     * One-sample NTK spectrum: mean, extremes, their ratios to the mean, L·q* (the isometric prediction) and the
     * learning-rate bound η < 2/λ_max for gradient descent on ½‖f − y‖² at this input.
     */
    public record Ntk(double mean, double min, double max, double maxOverMean, double minOverMean, double depthTimesQStar,
                      double learningRateBound) {
        static Ntk of(double[] eig, int depth, double qStar) {
            double mean = Arrays.stream(eig).average().orElse(Double.NaN);
            double min = eig[0], max = eig[eig.length - 1];
            return new Ntk(mean, min, max, max / mean, min / mean, depth * qStar, 2 / max);
        }
    }

    /** Bin masses (probabilities on λ > 0) of the pooled non-zero eigenvalues and of the prediction. */
    public record Histogram(double[] edges, double[] measured, double[] predicted, double l1, double l1SamplingFloor,
                            int eigenvalues) {}

    public record Result(Config config, Theory theory, List<SeedResult> seeds, double mean, double varianceRatio,
                         double varianceRatioSd, double max, double zeroFraction, double[] varianceRatioByDepth,
                         Histogram histogram, double[] densityLambda, double[] density, Ntk ntk) {
        /** Sample standard deviation over the seeds of var/m₁² at depth l (1-based). */
        public double varianceRatioSdAt(int l) {
            double m = varianceRatioByDepth[l - 1];
            double ss = seeds.stream().mapToDouble(s -> (s.varianceRatioByDepth()[l - 1] - m) * (s.varianceRatioByDepth()[l - 1] - m)).sum();
            return Math.sqrt(ss / Math.max(1, seeds.size() - 1));
        }
    }

    @Override
    public String name() { return "jacobian"; }

    /** ReLU, Gaussian weights, L = 10, N = 500, critical at q* = 1, one seed, 60 bins. */
    @Override
    public Config defaults() { return Config.critical(StandardOps.registry().activation("relu"), WeightLaw.GAUSSIAN, 10, 500, 1.0, 1, 0, false, 60); }

    /** At most 4 layers of width 64 and one seed; activation, weights and scales stay. */
    @Override
    public Config quick(Config c) {
        return new Config(c.activation(), c.weights(), Math.min(c.depth(), 4), Math.min(c.width(), 64), c.sigmaW(), c.sigmaB(), c.qStar(), 1,
                c.seed(), c.ntk(), c.bins());
    }

    /** Throws ArithmeticException when the free-probability density cannot be tracked. */
    @Override
    public Result run(Config c, Context context) {
        context.phase("networks", c.seeds());
        return run(c, context::step);
    }

    @Override
    public HtmlReport report(Result r) { return JacobianReport.of(r); }

    @Override
    public String headline(Result r) { return JacobianReport.describe(r.config()); }

    @Override
    public String summary(Result r) { return JacobianReport.table(r); }

    public static Result run(Config c, IntConsumer progress) {
        JacobianTheory t = new JacobianTheory(c.weights(), c.depth(), c.sigmaW(), SlopeLaw.of(c.activation(), c.qStar()));
        double[] theoryByDepth = new double[c.depth()];
        for (int l = 1; l <= c.depth(); l++) {
            theoryByDepth[l - 1] = new JacobianTheory(c.weights(), l, c.sigmaW(), t.slopes()).varianceRatio();
        }
        Theory theory = new Theory(t.meanEigenvalue(), t.varianceRatio(), t.edge(), t.continuousEdge(), t.atoms(), theoryByDepth);

        List<SeedResult> seeds = new ArrayList<>();
        List<double[]> nonZero = new ArrayList<>();
        double[] byDepth = new double[c.depth()];
        long zeros = 0;
        for (int k = 0; k < c.seeds(); k++) {
            var s = JacobianMonteCarlo.sample(c.network(k), c.ntk(), true);
            Ntk ntk = c.ntk() ? Ntk.of(s.ntkEigenvalues(), c.depth(), c.qStar()) : null;
            seeds.add(new SeedResult(c.seed() + k, s.mean(), s.varianceRatio(), s.max(), s.structuralZeros(), s.lengths(),
                    s.varianceRatioByDepth(), ntk));
            nonZero.add(Arrays.copyOfRange(s.eigenvalues(), s.structuralZeros(), s.eigenvalues().length));
            zeros += s.structuralZeros();
            for (int l = 0; l < c.depth(); l++) byDepth[l] += s.varianceRatioByDepth()[l] / c.seeds();
            progress.accept(k + 1);
        }
        double mean = seeds.stream().mapToDouble(SeedResult::mean).average().orElseThrow();
        double var = seeds.stream().mapToDouble(SeedResult::varianceRatio).average().orElseThrow();
        double varSd = Math.sqrt(seeds.stream().mapToDouble(s -> (s.varianceRatio() - var) * (s.varianceRatio() - var)).sum()
                / Math.max(1, seeds.size() - 1));
        double max = seeds.stream().mapToDouble(SeedResult::max).average().orElseThrow();
        double zeroFraction = (double) zeros / ((long) c.seeds() * c.width());

        double[] pooled = nonZero.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        Histogram hist = null;
        double[] curveX = null, curveY = null;
        if (!t.isometric() && pooled.length > 0) {
            SpectralDensity d = t.density(3000);
            double hi = Math.max(Math.max(t.continuousEdge(), t.atoms().stream().mapToDouble(SpectralDensity.Atom::location).max().orElse(0)),
                    pooled[pooled.length - 1]) * 1.001;
            hist = histogram(pooled, d, hi, c.bins(), c.seed());
            int step = Math.max(1, d.lambda().length / 400);
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < d.lambda().length; i += step) if (d.lambda()[i] <= hi) pts.add(new double[] {d.lambda()[i], d.density()[i]});
            curveX = pts.stream().mapToDouble(p -> p[0]).toArray();
            curveY = pts.stream().mapToDouble(p -> p[1]).toArray();
        }
        Ntk ntk = null;
        if (c.ntk()) {
            ntk = new Ntk(avg(seeds, s -> s.ntk().mean()), avg(seeds, s -> s.ntk().min()), avg(seeds, s -> s.ntk().max()),
                    avg(seeds, s -> s.ntk().maxOverMean()), avg(seeds, s -> s.ntk().minOverMean()), c.depth() * c.qStar(),
                    avg(seeds, s -> s.ntk().learningRateBound()));
        }
        return new Result(c, theory, seeds, mean, var, varSd, max, zeroFraction, byDepth, hist, curveX, curveY, ntk);
    }

    private static double avg(List<SeedResult> seeds, java.util.function.ToDoubleFunction<SeedResult> f) {
        return seeds.stream().mapToDouble(f).average().orElseThrow();
    }

    /**
     * Equal-width bins on [0, hi]; the prediction's masses are the continuous density's plus any atom above 0, both
     * divided by the mass above 0. The floor is the mean L1 of 20 samples of the same size drawn from the prediction.
     */
    static Histogram histogram(double[] nonZero, SpectralDensity d, double hi, int bins, long seed) {
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = hi * i / bins;
        double[] measured = new double[bins];
        for (double x : nonZero) measured[Math.min(bins - 1, (int) (x / hi * bins))] += 1.0 / nonZero.length;
        double[] predicted = d.binMasses(edges);
        for (var a : d.atoms()) if (a.location() > 0) predicted[Math.min(bins - 1, (int) (a.location() / hi * bins))] += a.mass();
        double total = Arrays.stream(predicted).sum();
        for (int i = 0; i < bins; i++) predicted[i] /= total;
        double l1 = l1(measured, predicted);
        double[] cdf = new double[bins];
        double acc = 0;
        for (int i = 0; i < bins; i++) cdf[i] = acc += predicted[i];
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5eedL);
        double floor = 0;
        int replicas = 20;
        for (int r = 0; r < replicas; r++) {
            double[] draw = new double[bins];
            for (int k = 0; k < nonZero.length; k++) {
                int b = Arrays.binarySearch(cdf, rng.nextDouble() * acc);
                draw[Math.min(bins - 1, b >= 0 ? b : -b - 1)] += 1.0 / nonZero.length;
            }
            floor += l1(draw, predicted) / replicas;
        }
        return new Histogram(edges, measured, predicted, l1, floor, nonZero.length);
    }

    private static double l1(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s;
    }
}
