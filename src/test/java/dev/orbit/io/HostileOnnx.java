package dev.orbit.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import ai.onnx.proto.OnnxMl;

/** Hand-built ONNX protos for the hostile-input tests: small valid models and the pieces to break them. */
public final class HostileOnnx {
    private HostileOnnx() {}

    public static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;

    /** 16 floats 0.5, 1.5, ...: the bytes of a 4×4 weight. */
    public static byte[] weightBytes() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) b.putFloat(i + 0.5f);
        return b.array();
    }

    public static OnnxMl.ValueInfoProto value(String name, int elemType, long... dims) {
        var shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    public static OnnxMl.NodeProto node(String op, List<String> in, List<String> out) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).addAllInput(in).addAllOutput(out).build();
    }

    /** A float tensor whose bytes live in an external file. */
    public static OnnxMl.TensorProto externalTensor(String name, String location, long offset, long length, long... dims) {
        var t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location));
        for (long d : dims) t.addDims(d);
        if (offset >= 0) t.addExternalData(entry("offset", Long.toString(offset)));
        if (length >= 0) t.addExternalData(entry("length", Long.toString(length)));
        return t.build();
    }

    public static OnnxMl.TensorProto rawTensor(String name, byte[] raw, long... dims) {
        var t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    public static OnnxMl.StringStringEntryProto entry(String k, String v) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /** x[1,4] · w[4,4] → y[1,4], with the given weight tensor. */
    public static OnnxMl.ModelProto matmul(OnnxMl.TensorProto w) {
        var g = OnnxMl.GraphProto.newBuilder().setName("g")
                .addInput(value("x", FLOAT, 1, 4)).addOutput(value("y", FLOAT, 1, 4))
                .addInitializer(w.toBuilder().setName("w"))
                .addNode(node("MatMul", List.of("x", "w"), List.of("y")));
        return model(g.build());
    }

    public static OnnxMl.ModelProto model(OnnxMl.GraphProto g) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("hostile-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }

    /**
     * x[4,4] + If(true){then: w} → z: a subgraph whose weight {@code w} Orbit keeps as opaque bytes and must still
     * confine and inline.
     */
    public static OnnxMl.ModelProto ifWithBranchWeight(OnnxMl.TensorProto w) {
        var then = OnnxMl.GraphProto.newBuilder().setName("then").addOutput(value("w_then", FLOAT, 4, 4))
                .addInitializer(w.toBuilder().setName("w_branch"))
                .addNode(node("Identity", List.of("w_branch"), List.of("w_then")));
        var otherwise = OnnxMl.GraphProto.newBuilder().setName("else").addOutput(value("w_else", FLOAT, 4, 4))
                .addInitializer(rawTensor("zero", new byte[64], 4, 4))
                .addNode(node("Identity", List.of("zero"), List.of("w_else")));
        var iff = node("If", List.of("cond"), List.of("t")).toBuilder()
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(then))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(otherwise));
        var cond = OnnxMl.TensorProto.newBuilder().setName("cond").setDataType(OnnxMl.TensorProto.DataType.BOOL_VALUE)
                .setRawData(ByteString.copyFrom(new byte[] {1}));
        var g = OnnxMl.GraphProto.newBuilder().setName("g")
                .addInput(value("x", FLOAT, 4, 4)).addOutput(value("z", FLOAT, 4, 4))
                .addInitializer(cond).addNode(iff).addNode(node("Add", List.of("x", "t"), List.of("z")));
        return model(g.build());
    }

    /** If nodes nested {@code depth} deep, each branch holding the next: deep protobuf nesting in a small file. */
    public static OnnxMl.ModelProto nestedIfs(int depth) {
        OnnxMl.GraphProto inner = OnnxMl.GraphProto.newBuilder().setName("leaf").addOutput(value("o", FLOAT, 1))
                .addNode(node("Constant", List.of(), List.of("o"))).build();
        for (int i = 0; i < depth; i++) {
            var iff = node("If", List.of("c"), List.of("o")).toBuilder().addAttribute(OnnxMl.AttributeProto.newBuilder()
                    .setName("then_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(inner));
            inner = OnnxMl.GraphProto.newBuilder().setName("level" + i).addOutput(value("o", FLOAT, 1)).addNode(iff).build();
        }
        var g = inner.toBuilder().addInput(value("c", OnnxMl.TensorProto.DataType.BOOL_VALUE));
        return model(g.build());
    }

    /**
     * A model of {@code n} Relu nodes in a chain, serialised without building {@code n} node objects: the bytes of
     * one node are written {@code n} times with their output renamed, so the test itself stays small.
     */
    public static byte[] reluChain(int n) {
        try {
            var graph = new ByteArrayOutputStream();
            CodedOutputStream g = CodedOutputStream.newInstance(graph);
            g.writeMessage(OnnxMl.GraphProto.INPUT_FIELD_NUMBER, value("v0", FLOAT, 1, 4));
            g.writeMessage(OnnxMl.GraphProto.OUTPUT_FIELD_NUMBER, value("v" + n, FLOAT, 1, 4));
            for (int i = 0; i < n; i++) {
                g.writeMessage(OnnxMl.GraphProto.NODE_FIELD_NUMBER, node("Relu", List.of("v" + i), List.of("v" + (i + 1))));
            }
            g.flush();
            var model = new ByteArrayOutputStream();
            CodedOutputStream m = CodedOutputStream.newInstance(model);
            m.writeInt64(OnnxMl.ModelProto.IR_VERSION_FIELD_NUMBER, 8);
            m.writeMessage(OnnxMl.ModelProto.OPSET_IMPORT_FIELD_NUMBER, OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17).build());
            m.writeByteArray(OnnxMl.ModelProto.GRAPH_FIELD_NUMBER, graph.toByteArray());
            m.flush();
            return model.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
