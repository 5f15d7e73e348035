package dev.orbit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.orbit.Inputs;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.io.idx.MnistData;
import dev.orbit.quant.Calibration;
import dev.orbit.quant.OrtKernels;
import dev.orbit.quant.Preparation;
import dev.orbit.quant.QdqWriter;
import dev.orbit.quant.QuantizeException;
import dev.orbit.quant.QuantizeReport;
import dev.orbit.quant.Quantizer;
import dev.orbit.report.Json;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize a model through its symmetries: fold BatchNorm, apply the chosen",
                "preparations (orbit moves, each verified in ONNX Runtime under the noise rule),",
                "calibrate, and write standard QDQ ONNX that ONNX Runtime runs with its integer",
                "kernels. Prints the float-vs-quantized output error, and accuracy with labelled data,",
                "without and with the preparations. The inputs are split: the first half calibrates,",
                "the second half measures. See docs/QUANTIZATION.md."})
final class QuantizeCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX model (opset 13 or later, or one whose ops keep their meaning there).")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "Q.onnx", description = "Where to write the quantized model.")
    Path output;

    @Option(names = "--prepare", defaultValue = "auto", paramLabel = "none|auto|LIST",
            description = "Preparations applied in order: cle, smooth[:ALPHA], rotate, bias-absorption (comma-separated). auto: cle where "
                    + "a space lies between two weights, else rotate where a residual stream rotates, else smooth:0.5 (default ${DEFAULT-VALUE}).")
    String prepare;

    @Option(names = "--weights", defaultValue = "int8", paramLabel = "int8|int4", description = "Signed symmetric weights (default ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--per-channel", description = "One weight scale per output channel (default: one per tensor).")
    boolean perChannel;

    @Option(names = "--group", defaultValue = "0", paramLabel = "G", description = "int4: one scale per block of G input channels (opset 21 blocked DequantizeLinear).")
    int group;

    @Option(names = "--activations", defaultValue = "uint8", paramLabel = "uint8|int8|none",
            description = "Activation quantization, asymmetric (default ${DEFAULT-VALUE}); none: weight-only.")
    String activations;

    @Option(names = "--calibrate", defaultValue = "minmax", paramLabel = "minmax|percentile:P", description = "Activation ranges (default ${DEFAULT-VALUE}).")
    String calibrate;

    @Option(names = "--bias-correction", description = "Shift each bias by -ΔW·E[x] (changes the float function; its error is reported).")
    boolean biasCorrection;

    @Mixin
    InputOptions inputs;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputPaths.checkNotInput(output, model);
        QdqWriter.Options options;
        List<Preparation> preparations;
        try {
            options = new QdqWriter.Options(parse(QdqWriter.Weights.class, weights, "--weights"), perChannel, group,
                    parse(QdqWriter.Activations.class, activations, "--activations"), Calibration.parse(calibrate), biasCorrection);
            preparations = Quantizer.parsePreparations(prepare);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        Network original = Orbit.load(model);
        Inputs in = inputs.inputs();
        Map<String, NdArray> all = in.feeds(original);
        long n = all.values().iterator().next().dim(0);
        if (n < 2) throw new UserError(ExitCodes.USAGE, "quantize needs at least 2 input samples (half calibrate, half measure)");
        long half = n / 2;
        Map<String, NdArray> calib = QuantizeReport.rows(all, 0, half);
        Map<String, NdArray> eval = QuantizeReport.rows(all, half, n);
        long[] labels = labels(half, n);
        Quantizer.Report r;
        try {
            r = Quantizer.run(original.ir(), preparations, options, calib, eval, labels);
        } catch (QuantizeException e) {
            throw new UserError(ExitCodes.QUANTIZE_REFUSED, model + ": " + e.getMessage());
        }
        boolean exact = r.steps().stream().allMatch(s -> !s.exact() || s.verification().passed());
        Map<String, Integer> kernels = OrtKernels.optimisedOps(r.quantized());
        if (exact) Orbit.of(r.quantized(), output.toString()).save(output);
        var out = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> m = QuantizeReport.json(r, kernels);
            m.put("written", exact ? output.toString() : null);
            out.println(Json.write(m));
        } else {
            out.print(QuantizeReport.text(r, kernels));
            out.println(exact ? "wrote " + output : "not written: a preparation failed its verification in ONNX Runtime");
        }
        out.flush();
        return exact ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    /** The evaluation half's labels when the inputs are MNIST digits; null otherwise. */
    private long[] labels(long from, long to) {
        if (!(inputs.spec() instanceof InputSpec.Data d)) return null;
        MnistData mnist = (d.dir() == null ? MnistData.bundled(MnistData.Split.TEST) : MnistData.fromDirectory(d.dir(), MnistData.Split.TEST)).head(d.limit());
        return java.util.Arrays.copyOfRange(mnist.labels(), Math.toIntExact(from), Math.toIntExact(to));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text, String option) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(x -> x.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + text + "'");
        }
    }
}
