package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.orbit.tensor.NdArray;

/**
 * Every ESD metric of one layer (WeightWatcher's set; reference §1.4–1.7). Eigenvalues are those of WᵀW with no
 * 1/N factor; Conv kernels are not rescaled (WeightWatcher halves conv eigenvalues by default; Orbit does not, so a
 * 1×1 convolution and a dense layer with the same matrix get the same numbers).
 *
 * @param logNorm         log10 Σλ (= log10 ‖W‖_F²)
 * @param logSpectralNorm log10 λ_max (= log10 ‖W‖₂²)
 * @param stableRank      Σλ / λ_max
 * @param entropy         −Σ pᵢ ln pᵢ / ln(rank), pᵢ = λᵢ/Σλ (1 for a flat spectrum; 0 when rank ≤ 1)
 * @param matrixRank      eigenvalues above the numerical-rank tolerance of the method (see {@link #rankTolerance})
 * @param powerLaw        the power-law tail (α, D, x_min, tail size)
 * @param alphaWeighted   α·log10 λ_max (NaN when α is infinite: all eigenvalues equal)
 * @param logAlphaNorm    log10 Σλ^α (Schatten-α norm; NaN when α is infinite)
 * @param mp              Marchenko–Pastur fit of the ESD
 * @param randomized      ESD of the entry-shuffled matrix and its correlation traps
 * @param warnings        α < 2 over-trained, α > 6 under-trained, α > 8 unreliable, correlation traps
 * @param eigenvalues     the pooled ESD, ascending
 */
public record LayerSpectrum(String layer, String op, String parameter, long[] parameterShape, long outputs, long inputs,
                            int slices, double q, long eigenvalueCount, String note, double logNorm,
                            double logSpectralNorm, double stableRank, double entropy, long matrixRank,
                            PowerLawFit powerLaw, double alphaWeighted, double logAlphaNorm, MarchenkoPastur mp,
                            Randomized randomized, List<String> warnings, double[] eigenvalues) {

    public static LayerSpectrum of(WeightMatrix w, NdArray values, EsdOptions options) {
        double[] ev;
        try (var scope = new org.bytedeco.javacpp.PointerScope()) {
            ev = Eigenvalues.of(w.slicesOf(values), options.method());
        } finally {
            java.lang.ref.Reference.reachabilityFence(values);
        }
        double lambdaMax = ev[ev.length - 1];
        if (!(lambdaMax > 0)) throw new IllegalArgumentException("layer '" + w.layer() + "' has an all-zero weight");
        double sum = 0;
        for (double v : ev) sum += Math.max(v, 0);
        double tol = rankTolerance(lambdaMax, w.n(), options.method());
        long rank = 0;
        for (double v : ev) if (v > tol) rank++;
        double h = 0;
        for (double v : ev) {
            if (v <= 0) continue;
            double p = v / sum;
            h -= p * Math.log(p);
        }
        double entropy = rank > 1 ? h / Math.log(rank) : 0;
        PowerLawFit pl = PowerLawFit.fit(ev);
        MarchenkoPastur mp = MarchenkoPastur.fit(ev, w.q(), w.m());
        Randomized rand = Randomized.of(w, values, lambdaMax, options);
        List<String> warnings = new ArrayList<>();
        boolean tail = Double.isFinite(pl.alpha());
        if (!tail) warnings.add("every eigenvalue above the floor is equal (an orthogonal-like matrix): no power-law tail, α is infinite");
        if (pl.alpha() < 2) warnings.add(String.format("α = %.2f < 2: over-trained (very heavy tail)", pl.alpha()));
        if (tail && pl.alpha() > 8) warnings.add(String.format("α = %.2f > 8: the tail is not a power law (MP-like ESD); α is unreliable", pl.alpha()));
        else if (pl.alpha() > 6) warnings.add(String.format("α = %.2f > 6: under-trained", pl.alpha()));
        if (rand.traps() > 0) warnings.add(rand.traps() + " correlation trap" + (rand.traps() > 1 ? "s" : "")
                + ": the shuffled matrix has eigenvalues above its MP edge (a few unusually large entries)");
        return new LayerSpectrum(w.layer(), w.op(), w.parameter(), w.parameterShape(), w.outputs(), w.inputs(), w.slices(),
                w.q(), ev.length, w.note(), Math.log10(sum), Math.log10(lambdaMax), sum / lambdaMax, entropy, rank, pl,
                tail ? pl.alpha() * Math.log10(lambdaMax) : Double.NaN, tail ? logAlphaNorm(ev, pl.alpha()) : Double.NaN,
                mp, rand, List.copyOf(warnings), ev);
    }

    /**
     * Eigenvalues at or below this count as zero. An SVD resolves singular values to about n·ε·s_max (NumPy's
     * matrix_rank rule, squared for λ); the Gram route only to about n·ε·λ_max in λ, because forming WᵀW squares the
     * condition number — so its rank sees singular values down to √(n·ε)·s_max ≈ 1e-7·s_max, not 1e-13·s_max.
     */
    public static double rankTolerance(double lambdaMax, long n, Eigenvalues.Method method) {
        double eps = Math.ulp(1.0);
        return switch (method) {
            case GRAM -> lambdaMax * n * eps;
            case SVD -> lambdaMax * (n * eps) * (n * eps);
        };
    }

    /** log10 Σ λᵢ^α over λᵢ > 0, by log-sum-exp so large α·ln λ do not overflow. */
    static double logAlphaNorm(double[] ev, double alpha) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : ev) if (v > 0) max = Math.max(max, alpha * Math.log(v));
        double s = 0;
        for (double v : ev) if (v > 0) s += Math.exp(alpha * Math.log(v) - max);
        return (max + Math.log(s)) / Math.log(10);
    }

    /** The scalar metrics by their JSON names, in report order (what the orbit study compares). */
    @JsonIgnore
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("log_norm", logNorm);
        m.put("log_spectral_norm", logSpectralNorm);
        m.put("stable_rank", stableRank);
        m.put("entropy", entropy);
        m.put("alpha", powerLaw.alpha());
        m.put("ks_distance", powerLaw.ksDistance());
        m.put("xmin", powerLaw.xmin());
        m.put("n_tail", (double) powerLaw.tailSize());
        m.put("alpha_weighted", alphaWeighted);
        m.put("log_alpha_norm", logAlphaNorm);
        m.put("mp_sigma", mp.sigma());
        m.put("mp_bulk_max", mp.bulkMax());
        m.put("mp_spikes", (double) mp.spikes());
        m.put("mp_softrank", mp.softRank());
        m.put("correlation_traps", (double) randomized.traps());
        m.put("rand_softrank", randomized.softRank());
        m.put("matrix_rank", (double) matrixRank);
        return m;
    }
}
