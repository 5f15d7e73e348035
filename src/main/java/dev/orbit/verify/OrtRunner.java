package dev.orbit.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Runs a model in ONNX Runtime, the engine users deploy with. The model goes in as the exact bytes Orbit
 * exports, so what is verified is what gets written.
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtRunner(byte[] modelBytes, int threads) {
        // validated before the native call: the bytes name no external file (ONNX Runtime would open it itself)
        dev.orbit.io.onnx.SelfContained.require(modelBytes);
        try {
            var options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // warnings such as "removing unused initializer" (common in PyTorch exports) are noise on a user's terminal
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            this.session = env.createSession(modelBytes, options);
        } catch (OrtException e) {
            throw new VerificationException("ONNX Runtime cannot load the model: " + firstLine(e.getMessage()));
        }
    }

    public OrtRunner(Model model) { this(OnnxExporter.toBytes(model), Runtime.getRuntime().availableProcessors()); }

    public Map<String, NdArray> run(Map<String, NdArray> feeds) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (var e : feeds.entrySet()) inputs.put(e.getKey(), toOrt(e.getValue()));
            try (OrtSession.Result result = session.run(inputs)) {
                Map<String, NdArray> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                return out;
            }
        } catch (OrtException e) {
            throw new VerificationException("ONNX Runtime failed to run the model: " + firstLine(e.getMessage()));
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOrt(NdArray a) throws OrtException {
        ByteBuffer buf = a.segment().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return switch (a.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, buf.asFloatBuffer(), a.shape());
            case FLOAT64 -> OnnxTensor.createTensor(env, buf.asDoubleBuffer(), a.shape());
            case INT64 -> OnnxTensor.createTensor(env, buf.asLongBuffer(), a.shape());
            case INT32 -> OnnxTensor.createTensor(env, buf.asIntBuffer(), a.shape());
            case INT8 -> bytes(a, OnnxJavaType.INT8);
            case UINT8 -> bytes(a, OnnxJavaType.UINT8);
            case INT16 -> bytes(a, OnnxJavaType.INT16);
            case BOOL -> bytes(a, OnnxJavaType.BOOL);
            case FLOAT16 -> bytes(a, OnnxJavaType.FLOAT16);
            case BFLOAT16 -> bytes(a, OnnxJavaType.BFLOAT16);
            case UINT16, UINT32, UINT64, INT4, UINT4 -> throw new VerificationException("input type " + a.dtype().onnxName()
                    + " cannot be given to ONNX Runtime: its Java API has no unsigned 16/32/64-bit or 4-bit tensors");
        };
    }

    private OnnxTensor bytes(NdArray a, OnnxJavaType type) throws OrtException {
        ByteBuffer direct = ByteBuffer.allocateDirect(Math.toIntExact(a.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(a.segment().asByteBuffer()).flip();
        return OnnxTensor.createTensor(env, direct, a.shape(), type);
    }

    private static NdArray fromOrt(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        DType d = switch (t.getInfo().onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DType.FLOAT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DType.FLOAT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DType.FLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DType.BFLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DType.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DType.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DType.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DType.BOOL;
            default -> throw new VerificationException("output type " + t.getInfo().onnxType + " is not supported");
        };
        ByteBuffer bb = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[bb.remaining()];
        bb.get(bytes);
        return NdArray.ofBytes(d, shape, bytes);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new VerificationException("closing ONNX Runtime session: " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
