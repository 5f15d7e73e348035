package dev.orbit.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Groups not-yet reasons by cause for the tables in docs/CONFORMANCE.md. */
final class Causes {
    private static final Set<String> CONTROL_FLOW = Set.of("If", "Loop", "Scan");
    private static final Set<String> RECURRENT = Set.of("RNN", "LSTM", "GRU");
    private static final Set<String> QUANTIZATION = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
            "QLinearConv", "QLinearMatMul", "MatMulInteger", "ConvInteger");
    private static final Set<String> LOSSES = Set.of("NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss");
    private static final Set<String> STRINGS = Set.of("StringNormalizer", "RegexFullMatch", "StringConcat", "StringSplit");

    private Causes() {}

    /** The ops a "missing op: A, B" reason names; empty for any other reason. */
    static List<String> missingOps(String reason) {
        if (!reason.startsWith("missing op: ")) return List.of();
        return Arrays.asList(reason.substring("missing op: ".length()).split(", "));
    }

    /** One cause per failing test, the milestone it belongs to first. */
    static String of(String reason) {
        List<String> ops = missingOps(reason);
        if (!ops.isEmpty()) {
            if (ops.stream().anyMatch(o -> o.startsWith("ai.onnx.preview.training::"))) return "training ops (out of scope)";
            if (ops.stream().anyMatch(o -> o.startsWith("Sequence") || o.startsWith("Optional")
                    || o.equals("SplitToSequence") || o.equals("ConcatFromSequence"))) return "sequences and optionals";
            if (ops.stream().anyMatch(CONTROL_FLOW::contains)) return "control flow (If, Loop, Scan)";
            if (ops.stream().anyMatch(RECURRENT::contains)) return "recurrent layers";
            if (ops.stream().anyMatch(QUANTIZATION::contains)) return "quantization ops";
            if (ops.stream().anyMatch(LOSSES::contains)) return "losses";
            if (ops.stream().anyMatch(STRINGS::contains)) return "string ops";
            return "missing op (elementwise, reduction, indexing, ...)";
        }
        if (reason.startsWith("dtype: string")) return "string tensors";
        if (reason.startsWith("dtype: ")) return "dtype";
        if (reason.startsWith("sequence/optional values") || reason.startsWith("input: ONNX Runtime's Java API cannot create sequence"))
            return "sequences and optionals";
        if (reason.startsWith("timeout")) return "timeout";
        if (reason.startsWith("wrong") ) return "wrong result";
        if (reason.contains("cannot create")) return "ORT Java API limit (unsigned inputs)";
        if (reason.contains("NOT_IMPLEMENTED") || reason.contains("Could not find an implementation")) return "not implemented in ORT";
        return "error";
    }
}
