package dev.orbit.io.onnx;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.CodedInputStream;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.Text;

/**
 * The last check before model bytes reach ONNX Runtime, which would resolve an external-data location on its
 * own, outside Orbit's confinement: the bytes must name no external file anywhere (graph, subgraphs, local
 * functions). Orbit's exporter never writes external data and the importer inlines what it keeps opaque, so
 * this never fires on a model Orbit serialised; it exists so that no future path can hand ONNX Runtime a
 * file's own locations.
 */
public final class SelfContained {
    private SelfContained() {}

    public static void require(byte[] modelBytes) {
        OnnxMl.ModelProto proto;
        try {
            CodedInputStream in = CodedInputStream.newInstance(modelBytes);
            in.enableAliasing(true);
            in.setRecursionLimit(ReadLimits.current().maxDepth());
            proto = OnnxMl.ModelProto.parseFrom(in);
        } catch (java.io.IOException e) {
            throw new ModelFormatException("model bytes for ONNX Runtime do not parse: " + e.getMessage());
        }
        List<String> named = new ArrayList<>();
        graph(proto.getGraph(), named);
        for (var f : proto.getFunctionsList()) nodes(f.getNodeList(), named);
        if (!named.isEmpty()) {
            throw new ModelFormatException("refusing to hand ONNX Runtime a model whose tensor " + Text.quote(named.getFirst())
                    + " names external data (" + named.size() + " such tensors); Orbit serialises models with their data inline");
        }
    }

    /** Everywhere ONNX can hold a tensor: initializers, sparse initializers, and attributes (sub-graphs recursively). */
    private static void graph(OnnxMl.GraphProto g, List<String> named) {
        for (var t : g.getInitializerList()) tensor(t, named);
        for (var s : g.getSparseInitializerList()) sparse(s, named);
        nodes(g.getNodeList(), named);
    }

    private static void nodes(List<OnnxMl.NodeProto> nodes, List<String> named) {
        for (var n : nodes) {
            for (var a : n.getAttributeList()) {
                if (a.hasT()) tensor(a.getT(), named);
                for (var t : a.getTensorsList()) tensor(t, named);
                if (a.hasSparseTensor()) sparse(a.getSparseTensor(), named);
                for (var s : a.getSparseTensorsList()) sparse(s, named);
                if (a.hasG()) graph(a.getG(), named);
                for (var g : a.getGraphsList()) graph(g, named);
            }
        }
    }

    private static void sparse(OnnxMl.SparseTensorProto s, List<String> named) {
        tensor(s.getValues(), named);
        tensor(s.getIndices(), named);
    }

    private static void tensor(OnnxMl.TensorProto t, List<String> named) {
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) named.add(t.getName());
    }
}
