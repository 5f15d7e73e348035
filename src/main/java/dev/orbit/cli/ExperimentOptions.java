package dev.orbit.cli;

import java.io.IOException;
import java.nio.file.Path;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import picocli.CommandLine.Option;

/** Options every experiment shares: the output folder and the seconds-long --quick mode for tests. */
final class ExperimentOptions {
    @Option(names = "--quick", description = "A seconds-long version of the experiment, for tests.")
    boolean quick;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Folder for result.json, report.html and index.html.")
    Path output;

    /** The model an experiment studies: {@code --model} or the bundled classifier. */
    static final class ModelChoice {
        @Option(names = "--model", paramLabel = "MODEL", description = "A trained MNIST classifier (default: the bundled one).")
        Path model;

        Model load() throws IOException {
            return model == null ? dev.orbit.Orbit.bundledModel().ir() : OnnxImporter.read(model);
        }

        String label() {
            return model == null ? "bundled mnist_mlp.onnx" : model.toString();
        }
    }
}
