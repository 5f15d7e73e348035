package dev.orbit.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime (the Java artifact Orbit verifies with) on the same files and under the same rule, for the
 * comparison table in docs/CONFORMANCE.md. Its Java API cannot create uint16/32/64 tensors, sequences or
 * optionals as inputs; those tests fail here with that reason.
 */
final class OrtBackend implements Backend {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final int threads;

    OrtBackend(int threads) { this.threads = threads; }

    @Override
    public String name() { return "ORT"; }

    @Override
    public Outcome run(SuiteCase test) {
        try {
            OnnxMl.ModelProto proto = test.modelProto();
            var options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            try (OrtSession session = env.createSession(Files.readAllBytes(test.model()), options)) {
                for (SuiteCase.DataSet set : test.dataSets(proto)) {
                    String bad = runSet(session, set);
                    if (bad != null) return Outcome.notYet(bad);
                }
            }
            return Outcome.PASS;
        } catch (Exception | LinkageError e) {
            return Outcome.notYet("error: " + e.getMessage());
        }
    }

    private String runSet(OrtSession session, SuiteCase.DataSet set) throws Exception {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (int k = 0; k < set.inputs().size(); k++) {
                if (!(set.inputs().get(k) instanceof SuiteValue.Tensor(OnnxMl.TensorProto t))) {
                    return "input: ONNX Runtime's Java API cannot create sequence or optional inputs";
                }
                feeds.put(set.inputNames().get(k), tensor(t));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                for (int k = 0; k < set.outputs().size(); k++) {
                    String name = set.outputNames().get(k);
                    var got = result.get(name);
                    String bad = compare(name, set.outputs().get(k), got.orElse(null));
                    if (bad != null) return bad;
                }
            }
            return null;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static String compare(String name, SuiteValue expected, OnnxValue got) throws Exception {
        return switch (expected) {
            case SuiteValue.Tensor(OnnxMl.TensorProto t) -> got instanceof OnnxTensor ot
                    ? BackendRule.mismatch(name, RefTensor.fromProto(t), ref(ot))
                    : "wrong kind: output '" + name + "' is not a tensor";
            case SuiteValue.Sequence(List<SuiteValue> elements) -> {
                if (!(got instanceof OnnxSequence s)) yield "wrong kind: output '" + name + "' is not a sequence";
                List<? extends OnnxValue> values = s.getValue();
                if (values.size() != elements.size()) {
                    yield "wrong length: sequence '" + name + "' has " + values.size() + " elements, expected " + elements.size();
                }
                for (int i = 0; i < values.size(); i++) {
                    String bad = compare(name + "[" + i + "]", elements.get(i), values.get(i));
                    if (bad != null) yield bad;
                }
                yield null;
            }
            case SuiteValue.Optional(SuiteValue value) -> value == null
                    ? (got == null ? null : "wrong value: optional '" + name + "' should be empty")
                    : compare(name, value, got);
        };
    }

    private OnnxTensor tensor(OnnxMl.TensorProto t) throws Exception {
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int type = t.getDataType();
        if (type == ElementType.STRING) {
            String[] s = new String[t.getStringDataCount()];
            for (int i = 0; i < s.length; i++) s[i] = t.getStringData(i).toStringUtf8();
            return OnnxTensor.createTensor(env, s, shape);
        }
        OnnxJavaType jt = switch (type) {
            case ElementType.FLOAT -> OnnxJavaType.FLOAT;
            case ElementType.DOUBLE -> OnnxJavaType.DOUBLE;
            case ElementType.INT8 -> OnnxJavaType.INT8;
            case ElementType.UINT8 -> OnnxJavaType.UINT8;
            case ElementType.INT16 -> OnnxJavaType.INT16;
            case ElementType.INT32 -> OnnxJavaType.INT32;
            case ElementType.INT64 -> OnnxJavaType.INT64;
            case ElementType.BOOL -> OnnxJavaType.BOOL;
            case ElementType.FLOAT16 -> OnnxJavaType.FLOAT16;
            case ElementType.BFLOAT16 -> OnnxJavaType.BFLOAT16;
            default -> throw new IllegalArgumentException("ONNX Runtime's Java API cannot create "
                    + ElementType.name(type) + " tensors");
        };
        ByteBuffer raw = RawBytes.of(t);
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(raw).flip();
        return OnnxTensor.createTensor(env, direct, shape, jt);
    }

    private static RefTensor ref(OnnxTensor t) throws Exception {
        var info = t.getInfo();
        int type = onnxCode(info.onnxType);
        if (type == ElementType.STRING) {
            List<String> flat = new ArrayList<>();
            flatten(t.getValue(), flat);
            return new RefTensor(type, info.getShape(), null, flat.toArray(String[]::new));
        }
        return RefTensor.fromRaw(type, info.getShape(), t.getByteBuffer());
    }

    /** ONNX Runtime's Java enum numbers its types its own way; the names carry the ONNX type. */
    private static int onnxCode(ai.onnxruntime.TensorInfo.OnnxTensorType t) {
        return switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> ElementType.FLOAT;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> ElementType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> ElementType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> ElementType.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> ElementType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> ElementType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> ElementType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> ElementType.STRING;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> ElementType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> ElementType.FLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> ElementType.DOUBLE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> ElementType.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> ElementType.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> ElementType.BFLOAT16;
            default -> throw new IllegalArgumentException("ONNX Runtime output type " + t + " cannot be compared");
        };
    }

    private static void flatten(Object o, List<String> out) {
        if (o instanceof String s) out.add(s);
        else if (o instanceof Object[] arr) for (Object x : arr) flatten(x, out);
    }
}
