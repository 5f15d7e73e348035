package dev.orbit.quant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.orbit.tensor.NdArray;

/** Text and JSON forms of a {@link Quantizer.Report}, and the calibration/evaluation split of one batch of inputs. */
public final class QuantizeReport {
    private QuantizeReport() {}

    public static String text(Quantizer.Report r, Map<String, Integer> kernels) {
        StringBuilder b = new StringBuilder();
        b.append("preparation: ").append(r.preparations().isEmpty() ? "none"
                : String.join(",", r.preparations().stream().map(Preparation::describe).toList())).append('\n');
        for (Quantizer.Step s : r.steps()) {
            if (s.exact()) {
                b.append(String.format(Locale.ROOT, "  %-16s %s; exact move, noise rule %s (worst e_moved/e_own %.3g), float output error %.2e%n",
                        s.name(), s.detail(), s.verification().passed() ? "passed" : "FAILED", s.verification().worstNoiseRatio(), s.floatError()));
            } else {
                b.append(String.format(Locale.ROOT, "  %-16s %s; changes the float function: output error %.2e against the original%n",
                        s.name(), s.detail(), s.floatError()));
            }
        }
        b.append("quantization: ").append(r.options().describe()).append('\n');
        b.append(String.format(Locale.ROOT, "  %-30s %12s %12s %9s%n", "model (ONNX Runtime)", "rel L2 err", "max rel err", "accuracy"));
        for (Quantizer.Figures f : List.of(r.floatModel(), r.quantizedUnprepared(), r.preparedFloat(), r.quantizedPrepared())) {
            b.append(String.format(Locale.ROOT, "  %-30s %12.3e %12.3e %9s%n", f.label(), f.outputError(), f.maxRelError(),
                    Double.isNaN(f.accuracy()) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * f.accuracy())));
        }
        if (kernels != null) {
            b.append("ONNX Runtime's optimised graph: ").append(kernels).append('\n');
            b.append(OrtKernels.usesIntegerKernels(kernels) ? "  integer kernels run the quantized layers\n"
                    : "  no integer kernel: weights are dequantized, then float kernels run (weight-only quantization saves memory, not arithmetic)\n");
        }
        return b.toString();
    }

    public static Map<String, Object> json(Quantizer.Report r, Map<String, Integer> kernels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preparations", r.preparations().stream().map(Preparation::describe).toList());
        List<Object> steps = new ArrayList<>();
        for (Quantizer.Step s : r.steps()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", s.name());
            x.put("exact", s.exact());
            x.put("detail", s.detail());
            x.put("float_output_error", s.floatError());
            if (s.verification() != null) {
                x.put("noise_rule_passed", s.verification().passed());
                x.put("worst_noise_ratio", s.verification().worstNoiseRatio());
            }
            steps.add(x);
        }
        m.put("steps", steps);
        m.put("quantization", r.options().describe());
        List<Object> figures = new ArrayList<>();
        for (Quantizer.Figures f : List.of(r.floatModel(), r.quantizedUnprepared(), r.preparedFloat(), r.quantizedPrepared())) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("model", f.label());
            x.put("relative_l2_error", f.outputError());
            x.put("max_relative_error", f.maxRelError());
            if (!Double.isNaN(f.accuracy())) x.put("accuracy", f.accuracy());
            figures.add(x);
        }
        m.put("figures", figures);
        if (kernels != null) {
            m.put("ort_optimised_ops", kernels);
            m.put("integer_kernels", OrtKernels.usesIntegerKernels(kernels));
        }
        return m;
    }

    /** Rows [from, to) of every array (axis 0). */
    public static Map<String, NdArray> rows(Map<String, NdArray> feeds, long from, long to) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (var e : feeds.entrySet()) {
            NdArray a = e.getValue();
            long[] shape = a.shape();
            long rowBytes = a.byteSize() / shape[0];
            shape[0] = to - from;
            byte[] all = a.toBytes();
            out.put(e.getKey(), NdArray.ofBytes(a.dtype(), shape, java.util.Arrays.copyOfRange(all, Math.toIntExact(from * rowBytes),
                    Math.toIntExact(to * rowBytes))));
        }
        return out;
    }
}
