package dev.orbit.hyperbolic;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.orbit.geometry.LayerIsometry;
import dev.orbit.io.AtomicFiles;

/** Writes the group element of one orbit copy as JSON: per layer its PSL(2,R) matrix, O⁺(n,1) matrix or (sign, shift). */
final class ElementsFile {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ElementsFile() {}

    static void write(Path file, Map<String, LayerIsometry> element) {
        try {
            AtomicFiles.writeString(file, MAPPER.writeValueAsString(OrbitCopies.describe(element)) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
