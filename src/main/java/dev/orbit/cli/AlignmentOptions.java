package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.Network;
import dev.orbit.identity.Alignment;
import dev.orbit.identity.Digits;
import dev.orbit.io.idx.MnistData;
import dev.orbit.tensor.NdArray;
import picocli.CommandLine.Option;

/** What orbit align and orbit merge share: the matching method and the training digits activations are read on. */
final class AlignmentOptions {
    @Option(names = "--method", defaultValue = "weights", paramLabel = "weights|activations",
            description = "weights (default): weight matching, coordinate descent over permutation classes; activations: correlations of hidden values on training digits.")
    String method;

    @Option(names = "--train-data", paramLabel = "DIR", description = "MNIST-format folder whose train-* digits activations are read on (default: the bundled training digits; never the test digits).")
    Path data;

    @Option(names = "--train-samples", defaultValue = "2000", paramLabel = "N", description = "Training digits to read activations on (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--fast-products", description = "Form weight-matching similarities in float32 (about 3x faster on wide layers; the assignment stays exact on what it is given).")
    boolean fastProducts;

    Alignment.Method parsedMethod() {
        return switch (method.toLowerCase()) {
            case "weights" -> Alignment.Method.WEIGHTS;
            case "activations" -> Alignment.Method.ACTIVATIONS;
            default -> throw new UserError(ExitCodes.USAGE, "--method must be weights or activations, got '" + method + "'");
        };
    }

    /** The first --samples training digits, shaped for {@code model}'s input. */
    NdArray digits(Network model) {
        if (samples <= 0) throw new UserError(ExitCodes.USAGE, "--train-samples must be positive");
        MnistData d = data == null ? MnistData.bundled(MnistData.Split.TRAIN) : MnistData.fromDirectory(data, MnistData.Split.TRAIN);
        try {
            return Digits.forModel(model.ir(), d, samples);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.BAD_INPUT, e.getMessage());
        }
    }

    Alignment.Options options(Network model) {
        Alignment.Method m = parsedMethod();
        NdArray x = m == Alignment.Method.ACTIVATIONS ? digits(model) : null;
        return new Alignment.Options(m, x, fastProducts, 100);
    }
}
