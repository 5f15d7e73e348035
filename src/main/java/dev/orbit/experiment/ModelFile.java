package dev.orbit.experiment;

import java.nio.file.Path;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.BundledModel;
import dev.orbit.io.onnx.OnnxImporter;

/** The model an experiment configuration names: an ONNX file, or the bundled classifier when the name is null. */
public final class ModelFile {
    private ModelFile() {}

    public static Model load(String file) {
        return file == null ? BundledModel.read() : OnnxImporter.read(Path.of(file));
    }

    /** How reports name it. */
    public static String label(String file) {
        return file == null ? BundledModel.LABEL : file;
    }
}
