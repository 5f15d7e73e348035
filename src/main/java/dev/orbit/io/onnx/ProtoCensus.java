package dev.orbit.io.onnx;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import ai.onnx.proto.OnnxMl;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;

/**
 * Counts what a model file would make protobuf build, before it builds anything: nodes (in every graph,
 * subgraph and local function), messages plus repeated string entries, nesting depth and the longest string.
 * The walk reads the wire format against the ONNX schema in O(file size) time and O(depth) memory, so a file
 * of a million empty nodes or a hundred-megabyte name is refused in milliseconds, not after the JVM has spent
 * gigabytes on objects (an empty NodeProto is 2 bytes on disk and ~100 bytes on the heap).
 */
final class ProtoCensus {
    private static final Descriptor NODE = OnnxMl.NodeProto.getDescriptor();
    private static final FieldDescriptor RAW_DATA = OnnxMl.TensorProto.getDescriptor()
            .findFieldByNumber(OnnxMl.TensorProto.RAW_DATA_FIELD_NUMBER);

    private final ReadLimits limits;
    private final String label;
    private long nodes;
    private long elements;

    private ProtoCensus(ReadLimits limits, String label) {
        this.limits = limits;
        this.label = label;
    }

    /** Walks a ModelProto; throws {@link LimitExceededException} or {@link InvalidProtocolBufferException}. */
    static void check(byte[] bytes, ReadLimits limits, String label) throws InvalidProtocolBufferException {
        var census = new ProtoCensus(limits, label);
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            census.walk(in, OnnxMl.ModelProto.getDescriptor(), 1);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e.getMessage());
        }
    }

    private void walk(CodedInputStream in, Descriptor type, int depth) throws IOException {
        while (true) {
            int tag = in.readTag();
            if (tag == 0) return;
            int wire = WireFormat.getTagWireType(tag);
            FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            if (wire == WireFormat.WIRETYPE_START_GROUP) {
                skipGroup(in, WireFormat.getTagFieldNumber(tag), depth + 1);
            } else if (wire == WireFormat.WIRETYPE_END_GROUP) {
                throw new InvalidProtocolBufferException("unexpected end-group tag");
            } else if (field != null && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                switch (field.getJavaType()) {
                    case MESSAGE -> message(in, field.getMessageType(), depth + 1);
                    case STRING, BYTE_STRING -> string(in, field);
                    default -> in.skipField(tag); // packed repeated numbers: at most 8 bytes in memory per byte on disk
                }
            } else {
                in.skipField(tag);
            }
        }
    }

    private void message(CodedInputStream in, Descriptor type, int depth) throws IOException {
        if (depth > limits.maxDepth()) {
            throw new LimitExceededException("'" + label + "' nests messages deeper than " + limits.maxDepth()
                    + " levels (subgraphs inside subgraphs); refused");
        }
        count(type == NODE);
        int length = in.readRawVarint32();
        if (length < 0) throw new InvalidProtocolBufferException("negative length");
        int old = in.pushLimit(length);
        walk(in, type, depth);
        in.popLimit(old);
    }

    private void string(CodedInputStream in, FieldDescriptor field) throws IOException {
        int length = in.readRawVarint32();
        if (length < 0) throw new InvalidProtocolBufferException("negative length");
        if (field != RAW_DATA && length > limits.maxStringBytes()) {
            throw new LimitExceededException("'" + label + "' has a " + length + "-byte " + field.getContainingType().getName()
                    + "." + field.getName() + ", more than the limit of " + limits.maxStringBytes() + " bytes; refused");
        }
        if (field.isRepeated()) count(false);
        in.skipRawBytes(length);
    }

    /** Groups are a deprecated proto2 encoding ONNX never uses; they are skipped with the same depth limit. */
    private void skipGroup(CodedInputStream in, int number, int depth) throws IOException {
        if (depth > limits.maxDepth()) {
            throw new LimitExceededException("'" + label + "' nests groups deeper than " + limits.maxDepth() + " levels; refused");
        }
        count(false);
        while (true) {
            int tag = in.readTag();
            if (tag == 0) throw new InvalidProtocolBufferException("unterminated group");
            int wire = WireFormat.getTagWireType(tag);
            if (wire == WireFormat.WIRETYPE_END_GROUP) {
                if (WireFormat.getTagFieldNumber(tag) != number) throw new InvalidProtocolBufferException("mismatched end-group tag");
                return;
            }
            if (wire == WireFormat.WIRETYPE_START_GROUP) skipGroup(in, WireFormat.getTagFieldNumber(tag), depth + 1);
            else in.skipField(tag);
        }
    }

    private void count(boolean node) {
        if (node && ++nodes > limits.maxNodes()) {
            throw new LimitExceededException("'" + label + "' has more than " + limits.maxNodes()
                    + " nodes; refused (raise the limit with --max-nodes)");
        }
        if (++elements > limits.maxElements()) {
            throw new LimitExceededException("'" + label + "' has more than " + limits.maxElements()
                    + " protobuf messages and strings; refused (raise the limit with -Dorbit.maxElements=N)");
        }
    }
}
