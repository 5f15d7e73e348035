package dev.orbit.io.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;
import dev.orbit.io.AtomicFiles;
import dev.orbit.tensor.NdArray;

/**
 * Writes the IR as ONNX. Parameters become initializers (raw little-endian data); opsets, producer, IR
 * version, doc strings, metadata and local functions are written back as imported. The file appears
 * atomically: written to a temporary file beside the target, then renamed.
 */
public final class OnnxExporter {
    /** Initializers stored inline in a protobuf must fit its 2 GiB limit. */
    private static final long INLINE_LIMIT = (1L << 31) - (64L << 20);

    private OnnxExporter() {}

    public static void write(Model model, Path file) {
        AtomicFiles.write(file, out -> writeTo(model, out));
    }

    public static byte[] toBytes(Model model) {
        return toProto(model).toByteArray();
    }

    private static void writeTo(Model model, OutputStream out) throws IOException {
        CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 20);
        toProto(model).writeTo(coded);
        coded.flush();
    }

    public static OnnxMl.ModelProto toProto(Model model) {
        long bytes = model.graph().parameters().values().stream().mapToLong(NdArray::byteSize).sum();
        if (bytes > INLINE_LIMIT) {
            throw new IllegalArgumentException("model parameters take " + bytes + " bytes, more than one ONNX file can"
                    + " hold inline; external-data export is not available yet");
        }
        var info = model.info();
        // IR < 4 requires initializers to be graph inputs; Orbit keeps them apart, so write at least IR 4
        var b = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(Math.max(4, info.irVersion()))
                .setGraph(graphProto(model.graph()));
        if (!info.producerName().isEmpty()) b.setProducerName(info.producerName());
        if (!info.producerVersion().isEmpty()) b.setProducerVersion(info.producerVersion());
        if (!info.domain().isEmpty()) b.setDomain(info.domain());
        if (info.modelVersion() != 0) b.setModelVersion(info.modelVersion());
        if (!info.docString().isEmpty()) b.setDocString(info.docString());
        for (var e : model.opsets().entrySet()) {
            b.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        for (var e : info.metadata().entrySet()) {
            b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        for (byte[] f : info.functions()) {
            try {
                b.addFunctions(OnnxMl.FunctionProto.parseFrom(f));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("stored function no longer parses", e);
            }
        }
        return b.build();
    }

    private static OnnxMl.GraphProto graphProto(Graph g) {
        var b = OnnxMl.GraphProto.newBuilder().setName(g.name());
        if (!g.docString().isEmpty()) b.setDocString(g.docString());
        for (ValueInfo v : g.inputs()) b.addInput(valueInfo(v));
        for (ValueInfo v : g.outputs()) b.addOutput(valueInfo(v));
        for (ValueInfo v : g.valueInfo().values()) b.addValueInfo(valueInfo(v));
        for (var e : g.parameters().entrySet()) b.addInitializer(tensor(e.getKey(), e.getValue()));
        for (Node n : g.nodes()) b.addNode(node(n));
        return b.build();
    }

    private static OnnxMl.NodeProto node(Node n) {
        // ONNX is proto2: an empty string that is set still serialises, so set only what the node has
        var b = OnnxMl.NodeProto.newBuilder().setOpType(n.opType()).addAllInput(n.inputs()).addAllOutput(n.outputs());
        if (!n.name().isEmpty()) b.setName(n.name());
        if (!n.domain().isEmpty()) b.setDomain(n.domain());
        if (!n.docString().isEmpty()) b.setDocString(n.docString());
        for (Map.Entry<String, Attr> e : n.attributes().map().entrySet()) b.addAttribute(attribute(e.getKey(), e.getValue()));
        return b.build();
    }

    private static OnnxMl.AttributeProto attribute(String name, Attr a) {
        var b = OnnxMl.AttributeProto.newBuilder().setName(name);
        switch (a) {
            case Attr.Int(long v) -> b.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v);
            case Attr.Float(float v) -> b.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v);
            case Attr.Str(String v) -> b.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v));
            case Attr.Ints(long[] v) -> {
                b.setType(OnnxMl.AttributeProto.AttributeType.INTS);
                for (long x : v) b.addInts(x);
            }
            case Attr.Floats(float[] v) -> {
                b.setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
                for (float x : v) b.addFloats(x);
            }
            case Attr.Strs(List<String> v) -> {
                b.setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
                for (String x : v) b.addStrings(ByteString.copyFromUtf8(x));
            }
            case Attr.TensorValue(NdArray v) -> b.setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(tensor("", v));
            case Attr.Subgraph(var graph, byte[] proto) -> {
                try {
                    return OnnxMl.AttributeProto.parseFrom(proto);
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("stored sub-graph no longer parses", e);
                }
            }
            case Attr.Opaque(byte[] proto) -> {
                try {
                    return OnnxMl.AttributeProto.parseFrom(proto);
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("stored attribute no longer parses", e);
                }
            }
        }
        return b.build();
    }

    static OnnxMl.TensorProto tensor(String name, NdArray a) {
        return OnnxTensors.encode(name, a);
    }

    static OnnxMl.ValueInfoProto valueInfo(ValueInfo v) {
        var tt = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(v.type().dtype().onnxCode);
        if (v.type().shape() != null) {
            var sb = OnnxMl.TensorShapeProto.newBuilder();
            for (Dim d : v.type().shape().dims()) {
                var db = OnnxMl.TensorShapeProto.Dimension.newBuilder();
                switch (d) {
                    case Dim.Known(long s) -> db.setDimValue(s);
                    case Dim.Symbolic(String s) -> db.setDimParam(s);
                    case Dim.Unknown u -> { }
                }
                sb.addDim(db);
            }
            tt.setShape(sb);
        }
        var b = OnnxMl.ValueInfoProto.newBuilder().setName(v.name()).setType(OnnxMl.TypeProto.newBuilder().setTensorType(tt));
        if (!v.docString().isEmpty()) b.setDocString(v.docString());
        return b.build();
    }
}
