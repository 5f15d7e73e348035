package dev.orbit.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import dev.orbit.spectra.Eigenvalues;
import dev.orbit.spectra.EsdOptions;
import dev.orbit.spectra.LayerSpectrum;
import dev.orbit.spectra.WeightMatrix;
import dev.orbit.tensor.NdArray;

/**
 * The ESD of an n×n float64 Gaussian matrix (seeded): Java array in, sorted eigenvalues of WᵀW out, by both of
 * Orbit's routes (Gram + eigvalsh, the default; svdvals, squared), plus the whole per-layer analysis (ESD, shuffled
 * ESD, power-law scan, MP fits). Writes the matrix and Orbit's eigenvalues (raw little-endian float64) for
 * bench/esd-vs-scipy.sh, which times scipy.linalg.svdvals on the same matrix and prints the ratio. Prints
 * machine-readable lines {@code orbit key=value ...}. Usage: EsdBench threads n reps matrixFile eigenvalueFile [gram-only].
 * With {@code gram-only} (the timed rounds of the script) it reads the matrix the first run wrote and times only the
 * Gram route.
 */
public final class EsdBench {
    public static void main(String[] args) throws IOException {
        int threads = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        Path matrixFile = Path.of(args[3]), eigFile = Path.of(args[4]);
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        boolean gramOnly = args.length > 5 && args[5].equals("gram-only");
        double[] w;
        if (gramOnly) {
            w = read(matrixFile, n * n);
        } else {
            SplittableRandom rng = new SplittableRandom(42);
            w = new double[n * n];
            for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();
            write(matrixFile, w);
        }

        Eigenvalues.of(java.util.Arrays.copyOf(w, 256 * 256), 256, 256, Eigenvalues.Method.GRAM); // load LAPACK, start the thread pools
        double[] gram = null;
        double[] tGram = new double[reps], tSvd = new double[reps];
        for (int r = 0; r < reps; r++) {
            long a = System.nanoTime();
            gram = Eigenvalues.of(w, n, n, Eigenvalues.Method.GRAM);
            tGram[r] = (System.nanoTime() - a) / 1e9;
        }
        if (gramOnly) {
            System.out.printf("orbit esd-round n=%d threads=%d gram_eigvalsh_seconds=%.4f%n", n, threads, EvaluatorBench.median(tGram));
            return;
        }
        double[] svd = null;
        for (int r = 0; r < Math.max(1, reps / 2); r++) {
            long a = System.nanoTime();
            svd = Eigenvalues.of(w, n, n, Eigenvalues.Method.SVD);
            tSvd[r] = (System.nanoTime() - a) / 1e9;
        }
        write(eigFile, gram);
        double top = 0;
        for (int i = n / 2; i < n; i++) top = Math.max(top, Math.abs(gram[i] - svd[i]) / svd[i]);

        WeightMatrix wm = new WeightMatrix("bench", "MatMul", "w", new long[] {n, n}, 1, n, n, n, n,
                WeightMatrix.Slicing.MATRIX, "bench");
        NdArray arr = NdArray.ofDoublesNoCopy(w, n, n);
        long a = System.nanoTime();
        LayerSpectrum layer = LayerSpectrum.of(wm, arr, EsdOptions.DEFAULT);
        double tLayer = (System.nanoTime() - a) / 1e9;

        System.out.printf("orbit esd n=%d threads=%d reps=%d gram_eigvalsh_seconds=%.4f svdvals_seconds=%.4f "
                        + "full_layer_seconds=%.4f gram_vs_svd_max_rel_diff_upper_half=%.2e lambda_max=%.6e%n", n, threads, reps,
                EvaluatorBench.median(tGram), EvaluatorBench.median(java.util.Arrays.copyOf(tSvd, Math.max(1, reps / 2))),
                tLayer, top, gram[n - 1]);
        System.out.printf("orbit layer alpha=%.3f D=%.3f mp_sigma=%.3f spikes=%d traps=%d%n", layer.powerLaw().alpha(),
                layer.powerLaw().ksDistance(), layer.mp().sigma(), layer.mp().spikes(), layer.randomized().traps());
    }

    static double[] read(Path file, int count) throws IOException {
        double[] v = new double[count];
        ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }

    static void write(Path file, double[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        Files.write(file, b.array());
    }
}
