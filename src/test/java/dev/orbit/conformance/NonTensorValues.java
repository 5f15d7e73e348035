package dev.orbit.conformance;

import ai.onnx.proto.OnnxMl;

/** Finds graph inputs and outputs that are not tensors (sequences, optionals, maps). */
final class NonTensorValues {
    private NonTensorValues() {}

    /** A not-yet reason naming the first non-tensor input or output, or null when every one is a tensor. */
    static String find(OnnxMl.GraphProto g) {
        for (var v : g.getInputList()) if (!v.getType().hasTensorType()) return reason("input", v);
        for (var v : g.getOutputList()) if (!v.getType().hasTensorType()) return reason("output", v);
        return null;
    }

    private static String reason(String role, OnnxMl.ValueInfoProto v) {
        String kind = switch (v.getType().getValueCase()) {
            case SEQUENCE_TYPE -> "sequence";
            case OPTIONAL_TYPE -> "optional";
            case MAP_TYPE -> "map";
            case SPARSE_TENSOR_TYPE -> "sparse tensor";
            default -> "non-tensor";
        };
        return "sequence/optional values: " + role + " '" + v.getName() + "' is a " + kind;
    }
}
