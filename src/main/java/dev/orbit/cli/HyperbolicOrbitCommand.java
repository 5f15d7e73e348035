package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.hyperbolic.HyperbolicOrbitExperiment;
import dev.orbit.hyperbolic.OrbitCopies;
import dev.orbit.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "hyperbolic-orbit", mixinStandardHelpOptions = true,
        description = {"Write N models equivalent to a length-product model (Orbit's form, e.g. from hyperbolic-train): a random",
                "group element per layer (PSL(2,R) on H², isometries of Hⁿ, of the line). Each is verified against the",
                "original in float64 in Orbit and in ONNX Runtime (standard-op export), and in float32 in ONNX Runtime.",
                "Writes DIR/model-NNNN.onnx, .standard.onnx and .element.json per copy, result.json and report.html.",
                "Exit code 1 if a float64 check exceeds --tolerance."})
final class HyperbolicOrbitCommand implements java.util.concurrent.Callable<Integer> {
    static final HyperbolicOrbitExperiment EXPERIMENT = new HyperbolicOrbitExperiment();

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model with dev.orbit length-product layers.")
    Path model;

    @Option(names = "-n", defaultValue = "10", description = "Number of copies (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output folder.")
    Path output;

    @Option(names = "--spread", defaultValue = "1.0", description = "Spread of the random elements: KAN with t, s ∈ [−spread, spread]; Hⁿ: dilation e^u, translations, inversions drawn in the same range (default ${DEFAULT-VALUE}).")
    double spread;

    @Mixin
    SeedOption seed;

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
        OrbitCopies.Config copies;
        try {
            copies = new OrbitCopies.Config(count, spread, seed.seed, tolerance, !noModels);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        ExperimentFiles.prepare(output);
        var out = spec.commandLine().getOut();
        OrbitCopies.Result r;
        try {
            r = ExperimentRunner.run(EXPERIMENT, new HyperbolicOrbitExperiment.Config(model.toString(), samples, copies), output, out);
        } catch (DType.UnsupportedDTypeException e) {
            throw e; // unreadable model: reported as the reader words it
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.BAD_INPUT, model + ": " + e.getMessage());
        }
        ExperimentFiles.write(output, EXPERIMENT, r);
        out.print(EXPERIMENT.summary(r));
        out.println(HyperbolicOrbitExperiment.wrote(r, output));
        out.flush();
        return ExperimentRunner.exitCode(EXPERIMENT.verdict(r));
    }
}
