package dev.orbit.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.io.idx.MnistData;
import dev.orbit.ops.activation.ReluFamilyKernel;
import dev.orbit.spectra.KernelRegression;
import dev.orbit.spectra.MlpKernel;
import dev.orbit.tensor.NdArray;

/**
 * Orbit's side of bench/nngp-vs-numpy.sh: the depth-5 ReLU NNGP kernel (σ_w² = 2, σ_b² = 0.01) of the first N
 * bundled training digits, N×N float64, from the pixels (the Gram product included), by the full-matrix path (the
 * same work as the numpy peer) and the symmetric path (upper triangle, mirrored). Prints the median of the timed
 * runs of each and writes the last full-path kernel as raw little-endian float64 for the agreement check.
 * Usage: NngpBench THREADS ROUNDS N DEPTH OUT.bin
 */
public final class NngpBench {
    public static void main(String[] args) throws IOException {
        int threads = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        int depth = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        MnistData digits = MnistData.bundled(MnistData.Split.TRAIN).head(n);
        MlpKernel kernel = MlpKernel.of(depth, ReluFamilyKernel.RELU, 2, 0.01);
        double[] full = new double[rounds], symmetric = new double[rounds];
        try (PointerScope outer = new PointerScope()) {
            Tensor x = KernelRegression.float64(digits.images());
            try (PointerScope warm = new PointerScope()) {
                kernel.matrix(x, x, false, null);
                kernel.symmetric(x, false, null);
            }
            for (int r = 0; r < rounds; r++) { // alternate the two paths so machine load hits both alike
                try (PointerScope scope = new PointerScope()) {
                    long t0 = System.nanoTime();
                    Tensor k = kernel.matrix(x, x, false, null).nngp();
                    full[r] = (System.nanoTime() - t0) / 1e9;
                    if (r == rounds - 1) write(k, out);
                }
                try (PointerScope scope = new PointerScope()) {
                    long t0 = System.nanoTime();
                    Tensor k = kernel.symmetric(x, false, null).nngp();
                    symmetric[r] = (System.nanoTime() - t0) / 1e9;
                    if (r == rounds - 1) {
                        try (PointerScope check = new PointerScope()) {
                            Tensor f = kernel.matrix(x, x, false, null).nngp();
                            System.out.printf("orbit full vs symmetric path: max abs difference %.2e%n", f.sub(k).abs().max().item_double());
                        }
                    }
                }
            }
        }
        print("full", n, depth, threads, full);
        print("symmetric", n, depth, threads, symmetric);
    }

    private static void print(String path, int n, int depth, int threads, double[] seconds) {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        System.out.printf("orbit-%s nngp n=%d depth=%d threads=%d seconds=%.4f runs=%s%n", path, n, depth, threads,
                sorted[seconds.length / 2], Arrays.toString(Arrays.stream(seconds).map(s -> Math.round(s * 1000) / 1000.0).toArray()));
    }

    private static void write(Tensor k, Path out) throws IOException {
        NdArray a = NdArray.fromTorch(k);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            var buf = a.segment().asByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }
}
