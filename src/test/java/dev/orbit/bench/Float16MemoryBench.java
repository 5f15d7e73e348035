package dev.orbit.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Memory of evaluating a float16 model: peak native memory (resident set minus the committed Java heap) and peak
 * heap use while the model is imported and evaluated, each over a baseline taken in a JVM that has libtorch loaded
 * and has evaluated once (no model held). Compared with what the float16 data needs: the weights plus the largest
 * set of activations one node holds at once (its inputs and outputs, in float16). The target is 1.3×.
 * The peak resident size comes from the kernel's high-water mark (VmHWM), reset through /proc/self/clear_refs; the
 * script runs the JVM with a fixed, pre-touched heap, so resident size minus the heap is native memory throughout.
 * Usage: bench/float16-memory.sh [layers (default 12)] [width (default 2048)] [batch (default 256)] [runs (default 5)]:
 * one JVM writes the model, a fresh one measures it.
 */
public final class Float16MemoryBench {
    /** {@code write FILE layers width} builds the model; {@code measure FILE layers width batch runs} measures it. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        int layers = Integer.parseInt(args[2]);
        long width = Long.parseLong(args[3]);
        long[] widths = new long[layers + 1];
        java.util.Arrays.fill(widths, width);
        if (args[0].equals("write")) {
            // its own JVM: the arrays built here would otherwise leave freed, still resident memory behind
            OnnxExporter.write(toFloat16(EvaluatorBench.mlp(widths, 1)), file);
            return;
        }
        long batch = Long.parseLong(args[4]);
        int runs = Integer.parseInt(args[5]);
        // warm-up: a tiny float16 model through the same import and evaluation loads the ONNX classes, libtorch and
        // its kernels before the baseline, so the growth measured is the model's and not the JVM's
        Path tinyFile = Files.createTempFile("orbit-f16-tiny-", ".onnx");
        OnnxExporter.write(toFloat16(EvaluatorBench.mlp(new long[] {8, 8, 8}, 2)), tinyFile);
        for (int i = 0; i < 3; i++) {
            new Evaluator(OnnxImporter.read(tinyFile)).run(Map.of("input", EvaluatorBench.randn(3, 4, 8).to(DType.FLOAT16)));
        }
        Files.delete(tinyFile);
        NdArray input = EvaluatorBench.randn(4, batch, width).to(DType.FLOAT16);
        long activationBytes = 2 * batch * width * 2; // one Gemm's input and output in float16

        settle();
        long native0 = nativeBytes();
        long heap0 = heapUsed();
        resetPeaks();

        Model model = OnnxImporter.read(file);
        long weightBytes = model.graph().parameters().values().stream().mapToLong(NdArray::byteSize).sum();
        Evaluator evaluator = new Evaluator(model);
        long loadHeapPeak = peakHeapUsed();
        long loadNativePeak = hwmBytes() - heapCommitted() - native0;
        settle();
        long loadedNative = nativeBytes() - native0;
        resetPeaks();
        long heapCommitted = heapCommitted();
        long checksum = 0;
        for (int i = 0; i < runs; i++) {
            NdArray y = evaluator.run(Map.of("input", input)).get("logits");
            checksum += Float.floatToIntBits((float) y.getAsDouble(0));
            if (System.getenv("F16_TRACE") != null) {
                int run = i;
                MallocInfo.now().ifPresent(m -> System.out.printf("  run %d: malloc arena %.1f MB, in use %.1f MB, free %.1f MB, mmapped %.1f MB; rss-native %.1f MB%n",
                        run, m.arena() / 1e6, m.inUse() / 1e6, m.free() / 1e6, m.mapped() / 1e6, uncheckedNative() / 1e6));
            }
        }
        long peakNative = hwmBytes() - Math.max(heapCommitted, heapCommitted()) - native0;
        long peakHeapLoad = loadHeapPeak - heap0;
        long peakHeap = peakHeapUsed() - heap0;
        long need = weightBytes + activationBytes;

        System.out.printf("float16 MLP: %d layers of %d×%d (Gemm + bias, ReLU), batch %d, %d evaluations (checksum %d)%n",
                layers, width, width, batch, runs, checksum);
        System.out.printf("  float16 weights                  %8.1f MB%n", weightBytes / 1e6);
        System.out.printf("  float16 activations (one node)   %8.1f MB%n", activationBytes / 1e6);
        System.out.printf("  native growth, model loaded      %8.1f MB (peak while importing %.1f MB; heap peak %.1f MB)%n",
                loadedNative / 1e6, loadNativePeak / 1e6, peakHeapLoad / 1e6);
        System.out.printf("  peak native growth, evaluating   %8.1f MB%n", peakNative / 1e6);
        System.out.printf("  peak heap growth, evaluating     %8.1f MB%n", Math.max(0, peakHeap) / 1e6);
        System.out.printf("  ratio (native + heap) / need     %8.2f   (target <= 1.30)%n",
                (peakNative + Math.max(0, peakHeap)) / (double) need);
    }

    static Model toFloat16(Model m) {
        Map<String, NdArray> params = new LinkedHashMap<>();
        m.graph().parameters().forEach((k, v) -> params.put(k, v.to(DType.FLOAT16)));
        Graph g = m.graph();
        List<ValueInfo> ins = g.inputs().stream().map(v -> new ValueInfo(v.name(), new ValueType(DType.FLOAT16, v.type().shape()))).toList();
        List<ValueInfo> outs = g.outputs().stream().map(v -> new ValueInfo(v.name(), new ValueType(DType.FLOAT16, v.type().shape()))).toList();
        return m.withGraph(new Graph(g.name(), ins, outs, g.nodes(), params, Map.of(), g.docString()));
    }

    private static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
        throw new IllegalStateException("no " + key + " in /proc/self/status");
    }

    private static long nativeBytes() throws IOException { return status("VmRSS:") - heapCommitted(); }

    private static long uncheckedNative() {
        try {
            return nativeBytes();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long hwmBytes() throws IOException { return status("VmHWM:"); }

    private static long heapCommitted() { return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(); }

    private static long heapUsed() { return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(); }

    /** Resets the kernel's resident high-water mark and the heap pools' peaks. */
    private static void resetPeaks() throws IOException {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
    }

    private static long peakHeapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }
}
