package dev.orbit.io.onnx;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;

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
import dev.orbit.io.ConfinedFolder;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.Text;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.tensor.Nibbles;

/**
 * Reads an ONNX file into the IR. Parameters stored as initializers, as {@code Constant} nodes, or as
 * external data (memory-mapped, never copied) all become graph parameters. Ops Orbit does not know are kept
 * as they are, attributes included, so they export unchanged.
 *
 * <p>Every file is treated as hostile: {@link ProtoCensus} bounds nodes, messages, strings and nesting before
 * protobuf builds anything; declared sizes are checked against what the file holds before any allocation and
 * against {@link ReadLimits#maxBytes()} in total; external data is confined to the model's folder
 * ({@link ExternalTensors}); and external data inside opaque subgraphs is inlined ({@link NestedExternalData}).
 * Every refusal is a {@link ModelFormatException} (exit 3). docs/RELIABILITY.md lists them.
 */
public final class OnnxImporter {
    /** The largest protobuf message, and so the largest ONNX file without external data. */
    private static final long PROTOBUF_LIMIT = Integer.MAX_VALUE - 8;

    private OnnxImporter() {}

    public static Model read(Path file) { return read(file, ReadLimits.current()); }

    public static Model read(Path file, ReadLimits limits) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("cannot read model '" + file + "': no such file");
        }
        byte[] bytes;
        try {
            if (Files.size(file) > PROTOBUF_LIMIT) {
                throw new LimitExceededException("'" + file + "' is larger than 2 GiB, more than one protobuf message can hold"
                        + " (store the weights as external data)");
            }
            bytes = readFile(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("cannot read model '" + file + "': no such file");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model '" + file + "': " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(bytes, ConfinedFolder.of(dir, "the model's folder"), file.toString(), limits);
    }

    /** Parses model bytes; external data is resolved inside {@code baseDir} (null: external data is refused). */
    public static Model read(byte[] bytes, Path baseDir, String label) {
        return parse(bytes, baseDir == null ? null : ConfinedFolder.of(baseDir, "the model's folder"), label, ReadLimits.current());
    }

    private static Model parse(byte[] bytes, ConfinedFolder folder, String label, ReadLimits limits) {
        OnnxMl.ModelProto proto;
        try {
            ProtoCensus.check(bytes, limits, label);
            CodedInputStream coded = CodedInputStream.newInstance(bytes);
            coded.enableAliasing(true); // raw_data stays a view of the file's bytes until it is copied once
            coded.setRecursionLimit(limits.maxDepth());
            proto = OnnxMl.ModelProto.parseFrom(coded);
        } catch (IOException e) { // InvalidProtocolBufferException; nothing else reads from a byte array
            throw new ModelFormatException("'" + label + "' is not a valid ONNX model (truncated or not protobuf: "
                    + firstLine(e.getMessage()) + ")");
        }
        return new Reader(new ExternalTensors(folder, label), limits).model(proto, label);
    }

    /** One model's reading: external data, and the bytes allocated so far against the limit. */
    private static final class Reader {
        private final ExternalTensors external;
        private final ReadLimits limits;
        private long allocated;

        Reader(ExternalTensors external, ReadLimits limits) {
            this.external = external;
            this.limits = limits;
        }

        Model model(OnnxMl.ModelProto proto, String label) {
            if (!proto.hasGraph() || proto.getIrVersion() <= 0 || proto.getOpsetImportCount() == 0) {
                throw new ModelFormatException("'" + label + "' is not an ONNX model (no graph, IR version or opset)");
            }
            Map<String, Long> opsets = new LinkedHashMap<>();
            for (var o : proto.getOpsetImportList()) {
                if (opsets.put(o.getDomain(), o.getVersion()) != null) {
                    throw new ModelFormatException("'" + label + "' imports operator set " + Text.quote(o.getDomain()) + " twice");
                }
            }
            Graph graph = graph(proto.getGraph(), false);
            Map<String, String> meta = new LinkedHashMap<>();
            for (var p : proto.getMetadataPropsList()) meta.put(p.getKey(), p.getValue());
            List<byte[]> functions = new ArrayList<>();
            for (var f : proto.getFunctionsList()) functions.add(NestedExternalData.inline(f, this::inlined).toByteArray());
            var info = new Model.ModelInfo(proto.getIrVersion(), proto.getProducerName(), proto.getProducerVersion(),
                    proto.getDomain(), proto.getModelVersion(), proto.getDocString(), meta, functions);
            return new Model(graph, opsets, info);
        }

        /** A model's graph, or (nested) a node's sub-graph, whose unresolved names are outer-scope references. */
        private Graph graph(OnnxMl.GraphProto g, boolean nested) {
            Map<String, NdArray> params = new LinkedHashMap<>();
            for (var t : g.getInitializerList()) define(params, t.getName(), tensor(t), "initializer");
            List<Node> nodes = new ArrayList<>();
            for (var n : g.getNodeList()) {
                NdArray constant = constantValue(n);
                if (constant != null) {
                    define(params, n.getOutput(0), constant, "Constant output");
                    continue;
                }
                nodes.add(node(n));
            }
            List<ValueInfo> inputs = new ArrayList<>();
            Set<String> inputNames = new HashSet<>();
            for (var v : g.getInputList()) {
                // IR < 4 lists initializers among the inputs too: those are parameters, not inputs
                if (params.containsKey(v.getName())) continue;
                if (!inputNames.add(v.getName())) {
                    throw new ModelFormatException("graph input " + Text.quote(v.getName()) + " is declared twice");
                }
                inputs.add(nested ? readNestedValueInfo(v) : readValueInfo(v));
            }
            List<ValueInfo> outputs = new ArrayList<>();
            for (var v : g.getOutputList()) outputs.add(nested ? readNestedValueInfo(v) : readValueInfo(v));
            Map<String, ValueInfo> valueInfo = new LinkedHashMap<>();
            for (var v : g.getValueInfoList()) {
                if (v.getType().hasTensorType()) valueInfo.put(v.getName(), readValueInfo(v));
            }
            return nested ? Graph.subgraph(g.getName(), inputs, outputs, nodes, params, valueInfo, g.getDocString())
                    : new Graph(g.getName(), inputs, outputs, nodes, params, valueInfo, g.getDocString());
        }

        /** A sub-graph's input or output: ONNX lets a body leave a type out (Loop infers it from the outer value). */
        private static ValueInfo readNestedValueInfo(OnnxMl.ValueInfoProto v) {
            if (v.getType().getValueCase() == OnnxMl.TypeProto.ValueCase.VALUE_NOT_SET) {
                return new ValueInfo(v.getName(), ValueType.unknown(DType.FLOAT32), v.getDocString());
            }
            return readValueInfo(v);
        }

        private static void define(Map<String, NdArray> params, String name, NdArray value, String what) {
            if (params.put(name, value) != null) {
                throw new ModelFormatException(what + " " + Text.quote(name) + " is defined more than once");
            }
        }

        /** The value of a Constant node that holds a tensor or number(s); null for anything else. */
        private NdArray constantValue(OnnxMl.NodeProto n) {
            if (!n.getOpType().equals("Constant") || !(n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))
                    || n.getAttributeCount() != 1 || n.getOutputCount() != 1) {
                return null;
            }
            var a = n.getAttribute(0);
            return switch (a.getName()) {
                case "value" -> tensor(a.getT());
                case "value_float" -> NdArray.ofFloats(new float[] {a.getF()});
                case "value_floats" -> {
                    charge((long) a.getFloatsCount() * 4, "Constant " + Text.quote(n.getOutput(0)));
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                    yield NdArray.ofFloats(f, f.length);
                }
                case "value_int" -> NdArray.ofLongs(new long[] {a.getI()});
                case "value_ints" -> {
                    charge((long) a.getIntsCount() * 8, "Constant " + Text.quote(n.getOutput(0)));
                    long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                    yield NdArray.ofLongs(v, v.length);
                }
                default -> null;
            };
        }

        private Node node(OnnxMl.NodeProto n) {
            Map<String, Attr> attrs = new LinkedHashMap<>();
            for (var a : n.getAttributeList()) {
                if (attrs.put(a.getName(), attr(a)) != null) {
                    throw new ModelFormatException("node " + Text.quote(n.getName()) + " (" + Text.quote(n.getOpType())
                            + ") has attribute " + Text.quote(a.getName()) + " twice");
                }
            }
            return new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(),
                    new Attributes(attrs), n.getDocString());
        }

        private Attr attr(OnnxMl.AttributeProto a) {
            if (!a.getRefAttrName().isEmpty()) return opaque(a);
            return switch (a.getType()) {
                case FLOAT -> new Attr.Float(a.getF());
                case INT -> new Attr.Int(a.getI());
                case STRING -> new Attr.Str(a.getS().toStringUtf8());
                case TENSOR -> new Attr.TensorValue(tensor(a.getT()));
                case FLOATS -> {
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                    yield new Attr.Floats(f);
                }
                case INTS -> new Attr.Ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
                case STRINGS -> new Attr.Strs(a.getStringsList().stream().map(ByteString::toStringUtf8).toList());
                case GRAPH -> subgraph(a);
                default -> opaque(a);
            };
        }

        /**
         * A sub-graph: read into the IR (the evaluator runs it) and kept as bytes (export writes them back), with any
         * external data inlined. A body over values Orbit cannot hold (sequences, optionals) stays opaque: the model
         * still imports and exports, and only evaluating its node fails, with that reason.
         */
        private Attr subgraph(OnnxMl.AttributeProto a) {
            OnnxMl.AttributeProto inlined = NestedExternalData.inline(a, this::inlined);
            byte[] bytes = inlined.toByteArray();
            try {
                return new Attr.Subgraph(graph(inlined.getG(), true), bytes);
            } catch (LimitExceededException e) {
                throw e;
            } catch (ModelFormatException | IllegalArgumentException e) {
                return new Attr.Opaque(bytes);
            }
        }

        /** Kinds Orbit does not interpret: kept as bytes, with any external data inlined. */
        private Attr opaque(OnnxMl.AttributeProto a) {
            return new Attr.Opaque(NestedExternalData.inline(a, this::inlined).toByteArray());
        }

        /** A tensor from inside an opaque attribute or function, its external bytes read (confined) and inlined. */
        private OnnxMl.TensorProto inlined(OnnxMl.TensorProto t) {
            NdArray a = tensor(t);
            charge(a.byteSize(), "tensor " + Text.quote(t.getName()) + " inlined from external data");
            return t.toBuilder().clearExternalData().clearDataLocation()
                    .setRawData(com.google.protobuf.UnsafeByteOperations.unsafeWrap(a.dtype().isPacked4() ? Nibbles.pack(a) : a.toBytes())).build();
        }

        NdArray tensor(OnnxMl.TensorProto t) {
            String who = "tensor " + Text.quote(t.getName());
            DType dtype;
            try {
                dtype = DType.fromOnnx(t.getDataType());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(who + ": " + e.getMessage());
            }
            long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            long count;
            long bytes;
            try {
                count = NdArray.count(shape);
                bytes = dtype.fileBytes(count);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new ModelFormatException(who + " has an invalid shape " + dimsText(shape)
                        + " (a negative dimension, or more elements than a 64-bit count holds)");
            }
            if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                if (dtype.isPacked4()) {
                    charge(count, who);
                    return Nibbles.unpack(dtype, shape, external.map(t, bytes));
                }
                return NdArray.wrap(dtype, shape, external.map(t, bytes));
            }
            if (!t.getRawData().isEmpty()) {
                if (t.getRawData().size() != bytes) {
                    throw new ModelFormatException(who + " holds " + t.getRawData().size() + " bytes, its shape "
                            + dimsText(shape) + " needs " + bytes);
                }
                charge(count * dtype.byteSize, who);
                if (dtype.isPacked4()) return Nibbles.unpack(dtype, shape, java.lang.foreign.MemorySegment.ofArray(t.getRawData().toByteArray()));
                NdArray a = NdArray.zeros(dtype, shape);
                copy(t.getRawData(), a.segment());
                return a;
            }
            int have = OnnxTensors.fieldCount(t, dtype);
            // the count check comes before the allocation: a 1 KB file may declare a 4 TB tensor
            if (have != OnnxTensors.fieldValues(dtype, count)) {
                throw new ModelFormatException(who + " holds " + have + " values, its shape " + dimsText(shape) + " needs "
                        + OnnxTensors.fieldValues(dtype, count));
            }
            charge(count * dtype.byteSize, who);
            return OnnxTensors.fromFields(t, dtype, shape, count);
        }

        private void charge(long bytes, String what) {
            allocated += bytes;
            if (allocated > limits.maxBytes()) {
                throw new LimitExceededException(what + " brings the tensor data this model makes Orbit allocate to "
                        + allocated + " bytes, more than the limit of " + limits.maxBytes() + " (raise it with --max-bytes)");
            }
        }
    }

    /**
     * The file's bytes, copied from a memory mapping. Not {@code Files.readAllBytes}: reading into a heap array goes
     * through a temporary direct buffer of the file's size, which the JDK caches per thread for good, so a 100 MB
     * model left 100 MB of native memory resident after import (bench/float16-memory.sh).
     */
    private static byte[] readFile(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] out = new byte[Math.toIntExact(size)];
            if (size == 0) return out;
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment mapped = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size, arena);
                MemorySegment.copy(mapped, ValueLayout.JAVA_BYTE, 0, out, 0, out.length);
            }
            return out;
        }
    }

    private static void copy(ByteString from, MemorySegment to) {
        var buffers = from.asReadOnlyByteBufferList();
        long at = 0;
        for (var b : buffers) {
            MemorySegment src = MemorySegment.ofBuffer(b);
            MemorySegment.copy(src, 0, to, at, src.byteSize());
            at += src.byteSize();
        }
    }

    static ValueInfo readValueInfo(OnnxMl.ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            throw new ModelFormatException("value " + Text.quote(v.getName()) + " is not a tensor; Orbit handles tensor graphs only");
        }
        var tt = v.getType().getTensorType();
        DType dtype = DType.fromOnnx(tt.getElemType());
        Shape shape = null;
        if (tt.hasShape()) {
            List<Dim> dims = new ArrayList<>();
            for (var d : tt.getShape().getDimList()) {
                if (d.hasDimValue()) {
                    if (d.getDimValue() < 0) {
                        throw new ModelFormatException("value " + Text.quote(v.getName()) + " has a negative dimension");
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

    private static String dimsText(long[] shape) {
        return shape.length > 8 ? "of rank " + shape.length : java.util.Arrays.toString(shape);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
