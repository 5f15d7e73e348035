package dev.orbit.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import ai.onnx.proto.OnnxMl;

/**
 * One input or expected output of a conformance test: a tensor, or (in the sequence and optional tests) a
 * SequenceProto or OptionalProto. Which one a {@code .pb} file holds follows the model's declared type, as in the
 * ONNX backend runner.
 */
sealed interface SuiteValue {
    record Tensor(OnnxMl.TensorProto proto) implements SuiteValue {}

    record Sequence(List<SuiteValue> elements) implements SuiteValue {}

    /** An optional value; {@code value} is null when it is empty. */
    record Optional(SuiteValue value) implements SuiteValue {}

    static SuiteValue read(Path file, OnnxMl.TypeProto type) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return switch (type.getValueCase()) {
            case SEQUENCE_TYPE -> sequence(UnknownFieldSet.parseFrom(bytes));
            case OPTIONAL_TYPE -> optional(UnknownFieldSet.parseFrom(bytes));
            default -> new Tensor(OnnxMl.TensorProto.parseFrom(bytes));
        };
    }

    // SequenceProto and OptionalProto live in onnx-data.proto, which the ONNX classes Orbit depends on do not
    // include; both share the field numbers read here (3 tensor, 5 sequence, 7 optional).
    int TENSOR = 3, SEQUENCE = 5, OPTIONAL = 7;

    private static SuiteValue sequence(UnknownFieldSet s) throws IOException {
        List<SuiteValue> out = new ArrayList<>();
        for (ByteString b : field(s, TENSOR)) out.add(new Tensor(OnnxMl.TensorProto.parseFrom(b)));
        for (ByteString b : field(s, SEQUENCE)) out.add(sequence(UnknownFieldSet.parseFrom(b)));
        for (ByteString b : field(s, OPTIONAL)) out.add(optional(UnknownFieldSet.parseFrom(b)));
        return new Sequence(out);
    }

    private static SuiteValue optional(UnknownFieldSet o) throws IOException {
        for (ByteString b : field(o, TENSOR)) return new Optional(new Tensor(OnnxMl.TensorProto.parseFrom(b)));
        for (ByteString b : field(o, SEQUENCE)) return new Optional(sequence(UnknownFieldSet.parseFrom(b)));
        for (ByteString b : field(o, OPTIONAL)) return new Optional(optional(UnknownFieldSet.parseFrom(b)));
        return new Optional(null);
    }

    private static List<ByteString> field(UnknownFieldSet s, int number) {
        return s.hasField(number) ? s.getField(number).getLengthDelimitedList() : List.of();
    }
}
