package dev.orbit.io.onnx;

import java.util.function.Function;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import ai.onnx.proto.OnnxMl;

/**
 * Inlines external data found inside what Orbit keeps as opaque protobuf (subgraphs of If/Loop/Scan,
 * tensor lists, sparse tensors, local functions). Those bytes go back out verbatim on export and into ONNX
 * Runtime on verification, and ONNX Runtime would resolve an external location by itself, outside Orbit's
 * confinement. So every such tensor is read through the same confined resolver as the main graph's and
 * written back as raw data: what leaves Orbit never names a file.
 */
final class NestedExternalData {
    private NestedExternalData() {}

    /** The message with every external tensor inside it replaced by {@code inline}; the same object if none. */
    @SuppressWarnings("unchecked")
    static <M extends Message> M inline(M message, Function<OnnxMl.TensorProto, OnnxMl.TensorProto> inline) {
        if (message instanceof OnnxMl.TensorProto t) {
            return t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0
                    ? (M) inline.apply(t) : message;
        }
        Message.Builder builder = null;
        for (var e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) continue;
            if (field.isRepeated()) {
                int n = message.getRepeatedFieldCount(field);
                for (int i = 0; i < n; i++) {
                    Message child = (Message) message.getRepeatedField(field, i);
                    Message fixed = inline(child, inline);
                    if (fixed != child) {
                        if (builder == null) builder = message.toBuilder();
                        builder.setRepeatedField(field, i, fixed);
                    }
                }
            } else {
                Message child = (Message) e.getValue();
                Message fixed = inline(child, inline);
                if (fixed != child) {
                    if (builder == null) builder = message.toBuilder();
                    builder.setField(field, fixed);
                }
            }
        }
        return builder == null ? message : (M) builder.build();
    }
}
