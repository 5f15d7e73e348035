package dev.orbit.bench;

import dev.orbit.ops.Activation;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.spectra.JacobianExperiment;
import dev.orbit.spectra.MeanField;
import dev.orbit.spectra.WeightLaw;

/**
 * The Jacobian-spectrum figures of the random-matrix issue, width 1000: var/m₁² at L = 4, 16, 64 for ReLU Gaussian,
 * ReLU orthogonal and hard-tanh (q* = 1/4) orthogonal against free probability (mean over seeds; L = 4 and 16 are the
 * first layers of the L = 64 networks, whose Jacobian is that of a 4- or 16-layer network), the L1 distance between
 * histogram and predicted density at L = 8, and the one-sample NTK under isometry. Usage:
 * bench/jacobian-table.sh [WIDTH [SEEDS_DEEP [SEEDS_DENSITY]]] (defaults 1000 3 4).
 */
public final class JacobianTable {
    record Case(String name, Activation activation, WeightLaw weights, double qStar) {}

    public static void main(String[] args) {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seedsDeep = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int seedsDensity = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Case[] cases = {new Case("ReLU, Gaussian", StandardOps.registry().activation("relu"), WeightLaw.GAUSSIAN, 1),
                new Case("ReLU, orthogonal", StandardOps.registry().activation("relu"), WeightLaw.ORTHOGONAL, 1),
                new Case("hard-tanh q* = 1/4, orthogonal", StandardOps.registry().activation("hard-tanh"), WeightLaw.ORTHOGONAL, 0.25)};
        int[] depths = {4, 16, 64};
        System.out.printf("Jacobian spectra, width %d, critical initialisation (χ₁ = 1); var/m₁² averaged over %d seeds "
                + "(± sd of one seed); %d seeds for the L = 8 density%n%n", width, seedsDeep, seedsDensity);
        System.out.println("| case | L | var/m₁² measured | theory | deviation | within 5% |");
        System.out.println("|---|---|---|---|---|---|");
        long t0 = System.nanoTime();
        for (Case c : cases) {
            var r = run(c, 64, width, seedsDeep, false);
            for (int l : depths) {
                double measured = r.varianceRatioByDepth()[l - 1], theory = r.theory().varianceRatioByDepth()[l - 1];
                double sd = r.varianceRatioSdAt(l);
                double dev = measured / theory - 1;
                System.out.printf("| %s | %d | %.4g ± %.2g | %.4g | %+.1f%% | %s |%n", c.name(), l, measured, sd, theory, 100 * dev,
                        Math.abs(dev) <= 0.05 ? "yes" : "no");
            }
        }
        System.out.printf("%n| case (L = 8) | L1(histogram, density) | sampling floor | var/m₁² measured | theory | λ_max measured | theory |%n");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Case c : cases) {
            var r = run(c, 8, width, seedsDensity, false);
            System.out.printf("| %s | %.4f | %.4f | %.4g | %.4g | %.4g | %.4g |%n", c.name(), r.histogram().l1(),
                    r.histogram().l1SamplingFloor(), r.varianceRatio(), r.theory().varianceRatio(), r.max(), r.theory().edge());
        }
        System.out.printf("%n| one-sample NTK, hard-tanh q* = 1/64, L = 16 | mean eigenvalue | L·q* | max/mean | min/mean | η < 2/λ_max |%n");
        System.out.println("|---|---|---|---|---|---|");
        for (WeightLaw w : WeightLaw.values()) {
            var r = run(new Case("", StandardOps.registry().activation("hard-tanh"), w, 1.0 / 64), 16, width, 1, true);
            var n = r.ntk();
            System.out.printf("| %s weights | %.4f | %.4f | %.3f | %.3f | %.4g |%n", w, n.mean(), n.depthTimesQStar(), n.maxOverMean(),
                    n.minOverMean(), n.learningRateBound());
        }
        System.out.printf("%ntotal %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static JacobianExperiment.Result run(Case c, int depth, int width, int seeds, boolean ntk) {
        MeanField.Init init = MeanField.criticalInit(c.activation(), c.qStar());
        var config = new JacobianExperiment.Config(c.activation(), c.weights(), depth, width, init.sigmaW(), init.sigmaB(), c.qStar(),
                seeds, 0, ntk, 60);
        return JacobianExperiment.run(config, k -> System.err.printf("  %s, L = %d: network %d/%d done%n", c.name(), depth, k, seeds));
    }
}
