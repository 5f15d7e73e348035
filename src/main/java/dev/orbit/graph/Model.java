package dev.orbit.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A graph with the model-level facts ONNX keeps around it: operator-set versions per domain, producer,
 * IR version and free-form metadata. Export writes all of them back.
 */
public record Model(Graph graph, Map<String, Long> opsets, ModelInfo info) {
    public Model {
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
    }

    /** The version of the standard ONNX operator set this model uses. */
    public long opset() {
        Long v = opsets.get("");
        if (v == null) v = opsets.get("ai.onnx");
        return v == null ? 21 : v;
    }

    public Model withGraph(Graph g) { return new Model(g, opsets, info); }

    public Model withInfo(ModelInfo i) { return new Model(graph, opsets, i); }

    /** Provenance and metadata, kept verbatim through import and export (local functions as raw bytes). */
    public record ModelInfo(long irVersion, String producerName, String producerVersion, String domain,
                            long modelVersion, String docString, Map<String, String> metadata,
                            java.util.List<byte[]> functions) {
        public ModelInfo {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            functions = functions == null ? java.util.List.of() : java.util.List.copyOf(functions);
        }

        public static ModelInfo orbit() {
            return new ModelInfo(8, "orbit", OrbitVersion.VERSION, "", 0, "", Map.of(), null);
        }

        public ModelInfo withMetadata(String key, String value) {
            Map<String, String> m = new LinkedHashMap<>(metadata);
            m.put(key, value);
            return new ModelInfo(irVersion, producerName, producerVersion, domain, modelVersion, docString, m, functions);
        }
    }
}
