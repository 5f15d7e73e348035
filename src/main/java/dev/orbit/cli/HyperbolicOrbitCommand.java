package dev.orbit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.orbit.graph.Model;
import dev.orbit.hyperbolic.OrbitCopies;
import dev.orbit.hyperbolic.HyperbolicTraining;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;
import dev.orbit.tensor.NdArray;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "hyperbolic-orbit", mixinStandardHelpOptions = true,
        description = {"Write N models equivalent to a length-product model (Orbit's form, e.g. from hyperbolic-train): a random",
                "group element per layer (PSL(2,R) on H², isometries of Hⁿ, of the line). Each is verified against the",
                "original in float64 in Orbit and in ONNX Runtime (standard-op export), and in float32 in ONNX Runtime.",
                "Writes DIR/model-NNNN.onnx, .standard.onnx and .element.json per copy, result.json and report.html.",
                "Exit code 1 if a float64 check exceeds --tolerance."})
final class HyperbolicOrbitCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model with dev.orbit length-product layers.")
    Path model;

    @Option(names = "-n", defaultValue = "10", description = "Number of copies (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output folder.")
    Path output;

    @Option(names = "--spread", defaultValue = "1.0", description = "Spread of the random elements: KAN with t, s ∈ [−spread, spread]; Hⁿ: dilation e^u, translations, inversions drawn in the same range (default ${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--samples", defaultValue = "200", description = "Test digits to compare outputs on (random N(0,1) inputs when the model does not take 784 pixels; default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--tolerance", defaultValue = "1e-9", description = "Float64 relative tolerance (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--no-models", description = "Verify without writing the models (e.g. for thousands of copies).")
    boolean noModels;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (count <= 0 || samples <= 0) throw new UserError(ExitCodes.USAGE, "-n and --samples must be positive");
        OrbitCopies.Config config;
        try {
            config = new OrbitCopies.Config(count, spread, seed, tolerance, !noModels);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        Model m = OnnxImporter.read(model);
        NdArray inputs = inputs(m);
        ExperimentOutput.prepare(output);
        OrbitCopies.Result r;
        try (ProgressBar bar = Progress.bar("orbit copies", count)) {
            r = OrbitCopies.run(m, model.toString(), inputs, config, output, bar::stepTo);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.BAD_INPUT, model + ": " + e.getMessage());
        }
        ExperimentOutput.write(output, "hyperbolic-orbit", String.format("%d copies, max float64 rel error %.1e", count,
                Math.max(r.maxOrbitFloat64(), r.maxOrtFloat64())), r, report(r));
        var out = spec.commandLine().getOut();
        out.printf("%d orbit copies of %s (%s), spread %s, on %d inputs%n", count, model, String.join(", ", r.layers()), spread, r.samples());
        out.printf("float64, Orbit: max rel error %.2e; float64, ONNX Runtime: %.2e (tolerance %.0e) %s%n", r.maxOrbitFloat64(),
                r.maxOrtFloat64(), tolerance, r.passed() ? "PASS" : "FAIL");
        out.printf("float32, ONNX Runtime: max rel error %.2e (the unmoved model in float32: %.2e)%n", r.maxOrtFloat32(), r.baselineFloat32());
        out.printf("weights moved mean|V-W|/mean|W| = %.3f on average%n", r.copies().stream().mapToDouble(OrbitCopies.Copy::weightChange).average().orElse(0));
        out.println(noModels ? ExperimentOutput.wrote(output) : "wrote " + count + " models and " + ExperimentOutput.wrote(output).substring(6));
        out.flush();
        return r.passed() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    private NdArray inputs(Model m) {
        var in = m.graph().inputs();
        if (in.size() != 1 || in.getFirst().type().shape() == null || in.getFirst().type().shape().rank() != 2) {
            throw new UserError(ExitCodes.BAD_INPUT, model + ": expected one input of shape [batch, features]");
        }
        var width = in.getFirst().type().shape().dim(1);
        if (width.isKnown() && width.size() == 784) {
            MnistData test = MnistData.bundled(MnistData.Split.TEST);
            return HyperbolicTraining.slice(test, 0, Math.min(samples, test.size())).images();
        }
        if (!width.isKnown()) throw new UserError(ExitCodes.BAD_INPUT, model + ": the feature axis of the input has no fixed size");
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[(int) (samples * width.size())];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        return NdArray.ofDoubles(x, samples, width.size());
    }

    static HtmlReport report(OrbitCopies.Result r) {
        HtmlReport h = new HtmlReport("Orbit of a length-product model");
        h.heading("What was run");
        h.paragraph(String.format("%d random group elements (one per layer: %s; spread %s, seed %d) applied to %s; every copy's "
                        + "output on %d inputs compared with the original's float64 output in Orbit. Relative error per element is "
                        + "|a−b|/(|a|+|b|+ε) with ε the largest |output|.", r.copies().size(), String.join(", ", r.layers()),
                r.config().spread(), r.config().seed(), r.model(), r.samples()));
        h.table(List.of("check", "max rel error"), List.of(
                List.of("float64, Orbit's evaluator", String.format("%.2e", r.maxOrbitFloat64())),
                List.of("float64, ONNX Runtime (standard-op export)", String.format("%.2e", r.maxOrtFloat64())),
                List.of("float32, ONNX Runtime", String.format("%.2e", r.maxOrtFloat32())),
                List.of("the unmoved model: float64 export in ONNX Runtime", String.format("%.2e", r.exportFloat64())),
                List.of("the unmoved model: float32 in ONNX Runtime (rounding floor)", String.format("%.2e", r.baselineFloat32()))));
        h.paragraph(r.passed() ? "Every copy agrees with the original within the float64 tolerance " + r.config().tolerance() + "."
                : "Some copies exceed the float64 tolerance " + r.config().tolerance() + ": see result.json.");
        double[] e64 = r.copies().stream().mapToDouble(c -> Math.log10(Math.max(1e-18, Math.max(c.orbitFloat64(), c.ortFloat64())))).toArray();
        double[] e32 = r.copies().stream().mapToDouble(c -> Math.log10(Math.max(1e-18, c.ortFloat32()))).toArray();
        double[] wc = r.copies().stream().mapToDouble(OrbitCopies.Copy::weightChange).toArray();
        h.chart(Charts.histogram("float64 output error per copy", "log10 max rel error", e64, 30), "Largest of the Orbit and ONNX Runtime float64 errors.");
        h.chart(Charts.histogram("float32 output error per copy (ONNX Runtime)", "log10 max rel error", e32, 30),
                "Moved points sit farther from the origin; float32 rounding of their coordinates grows with it.");
        h.chart(Charts.histogram("Weight change per copy", "mean|V−W| / mean|W|", wc, 30), "How far each copy's weight points moved.");
        List<List<String>> rows = new ArrayList<>();
        for (var c : r.copies().subList(0, Math.min(10, r.copies().size()))) {
            rows.add(List.of(Integer.toString(c.index()), String.format("%.3f", c.weightChange()), String.format("%.1e", c.orbitFloat64()),
                    String.format("%.1e", c.ortFloat64()), String.format("%.1e", c.ortFloat32())));
        }
        h.heading("First copies");
        h.table(List.of("#", "weight change", "float64 Orbit", "float64 ORT", "float32 ORT"), rows);
        return h;
    }
}
