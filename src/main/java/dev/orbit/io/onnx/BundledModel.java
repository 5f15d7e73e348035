package dev.orbit.io.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import dev.orbit.graph.Model;

/** The MNIST classifier inside Orbit's jar: an MLP 784-128-64-10 (ReLU) trained by Orbit on the bundled digits. */
public final class BundledModel {
    /** Where it lives inside the jar. */
    public static final String RESOURCE = "/models/mnist_mlp.onnx";

    /** How reports name it. */
    public static final String LABEL = "bundled mnist_mlp.onnx";

    private BundledModel() {}

    public static Model read() {
        try (InputStream in = BundledModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("bundled model " + RESOURCE + " is missing from the jar");
            return OnnxImporter.read(in.readAllBytes(), null, LABEL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
