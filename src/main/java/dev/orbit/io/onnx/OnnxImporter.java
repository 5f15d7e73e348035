package dev.orbit.io.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Reads an ONNX file into the IR. Parameters stored as initializers, as {@code Constant} nodes, or as
 * external data (memory-mapped, never copied) all become graph parameters. Ops Orbit does not know are kept
 * as they are, attributes included, so they export unchanged.
 */
public final class OnnxImporter {
    private OnnxImporter() {}

    public static Model read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("cannot read model '" + file + "': no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(coded);
            return fromProto(proto, file.toAbsolutePath().getParent(), file.getFileName().toString());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("'" + file + "' is not a valid ONNX model (truncated or not protobuf: "
                    + firstLine(e.getMessage()) + ")");
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("cannot read model '" + file + "': no such file");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model '" + file + "': " + e.getMessage());
        }
    }

    /** Parses model bytes; external data is resolved against {@code baseDir} (may be null). */
    public static Model read(byte[] bytes, Path baseDir, String label) {
        try {
            return fromProto(OnnxMl.ModelProto.parseFrom(bytes), baseDir, label);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("'" + label + "' is not a valid ONNX model (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static Model fromProto(OnnxMl.ModelProto proto, Path baseDir, String label) {
        if (!proto.hasGraph() || proto.getIrVersion() <= 0 || proto.getOpsetImportCount() == 0) {
            throw new ModelFormatException("'" + label + "' is not an ONNX model (no graph, IR version or opset)");
        }
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (var o : proto.getOpsetImportList()) opsets.put(o.getDomain(), o.getVersion());
        Graph graph = readGraph(proto.getGraph(), baseDir);
        Map<String, String> meta = new LinkedHashMap<>();
        for (var p : proto.getMetadataPropsList()) meta.put(p.getKey(), p.getValue());
        List<byte[]> functions = new ArrayList<>();
        for (var f : proto.getFunctionsList()) functions.add(f.toByteArray());
        var info = new Model.ModelInfo(proto.getIrVersion(), proto.getProducerName(), proto.getProducerVersion(),
                proto.getDomain(), proto.getModelVersion(), proto.getDocString(), meta, functions);
        return new Model(graph, opsets, info);
    }

    private static Graph readGraph(OnnxMl.GraphProto g, Path baseDir) {
        Map<String, NdArray> params = new LinkedHashMap<>();
        for (var t : g.getInitializerList()) params.put(t.getName(), readTensor(t, baseDir));
        List<Node> nodes = new ArrayList<>();
        for (var n : g.getNodeList()) {
            NdArray constant = constantValue(n, baseDir);
            if (constant != null) {
                params.put(n.getOutput(0), constant);
                continue;
            }
            nodes.add(readNode(n, baseDir));
        }
        List<ValueInfo> inputs = new ArrayList<>();
        for (var v : g.getInputList()) {
            // IR < 4 lists initializers among the inputs too: those are parameters, not inputs
            if (!params.containsKey(v.getName())) inputs.add(readValueInfo(v));
        }
        List<ValueInfo> outputs = new ArrayList<>();
        for (var v : g.getOutputList()) outputs.add(readValueInfo(v));
        Map<String, ValueInfo> valueInfo = new LinkedHashMap<>();
        for (var v : g.getValueInfoList()) {
            if (v.getType().hasTensorType()) valueInfo.put(v.getName(), readValueInfo(v));
        }
        return new Graph(g.getName(), inputs, outputs, nodes, params, valueInfo, g.getDocString());
    }

    /** The value of a Constant node that holds a tensor or number(s); null for anything else. */
    private static NdArray constantValue(OnnxMl.NodeProto n, Path baseDir) {
        if (!n.getOpType().equals("Constant") || !(n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))
                || n.getAttributeCount() != 1 || n.getOutputCount() != 1) {
            return null;
        }
        var a = n.getAttribute(0);
        return switch (a.getName()) {
            case "value" -> readTensor(a.getT(), baseDir);
            case "value_float" -> NdArray.ofFloats(new float[] {a.getF()});
            case "value_floats" -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                yield NdArray.ofFloats(f, f.length);
            }
            case "value_int" -> NdArray.ofLongs(new long[] {a.getI()});
            case "value_ints" -> {
                long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                yield NdArray.ofLongs(v, v.length);
            }
            default -> null;
        };
    }

    private static Node readNode(OnnxMl.NodeProto n, Path baseDir) {
        Map<String, Attr> attrs = new LinkedHashMap<>();
        for (var a : n.getAttributeList()) attrs.put(a.getName(), readAttr(a, baseDir));
        return new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(),
                new Attributes(attrs), n.getDocString());
    }

    private static Attr readAttr(OnnxMl.AttributeProto a, Path baseDir) {
        if (!a.getRefAttrName().isEmpty()) return new Attr.Opaque(a.toByteArray());
        return switch (a.getType()) {
            case FLOAT -> new Attr.Float(a.getF());
            case INT -> new Attr.Int(a.getI());
            case STRING -> new Attr.Str(a.getS().toStringUtf8());
            case TENSOR -> new Attr.TensorValue(readTensor(a.getT(), baseDir));
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                yield new Attr.Floats(f);
            }
            case INTS -> new Attr.Ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case STRINGS -> new Attr.Strs(a.getStringsList().stream().map(s -> s.toStringUtf8()).toList());
            default -> new Attr.Opaque(a.toByteArray());
        };
    }

    static ValueInfo readValueInfo(OnnxMl.ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            throw new ModelFormatException("value '" + v.getName() + "' is not a tensor; Orbit handles tensor graphs only");
        }
        var tt = v.getType().getTensorType();
        DType dtype = DType.fromOnnx(tt.getElemType());
        Shape shape = null;
        if (tt.hasShape()) {
            List<Dim> dims = new ArrayList<>();
            for (var d : tt.getShape().getDimList()) {
                if (d.hasDimValue()) {
                    if (d.getDimValue() < 0) {
                        throw new ModelFormatException("value '" + v.getName() + "' has a negative dimension");
                    }
                    dims.add(Dim.of(d.getDimValue()));
                } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                    dims.add(Dim.symbol(d.getDimParam()));
                } else {
                    dims.add(Dim.unknown());
                }
            }
            shape = new Shape(dims);
        }
        return new ValueInfo(v.getName(), new ValueType(dtype, shape), v.getDocString());
    }

    static NdArray readTensor(OnnxMl.TensorProto t, Path baseDir) {
        return OnnxTensors.decode(t, baseDir);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
