package dev.orbit.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
            default -> throw new VerificationException("input type " + a.dtype() + " is not supported for verification");
        };
    }

    private static NdArray fromOrt(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        return switch (t.getInfo().type) {
            case FLOAT -> {
                var fb = t.getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                yield NdArray.ofFloats(v, shape);
            }
            case DOUBLE -> {
                var db = t.getDoubleBuffer();
                double[] v = new double[db.remaining()];
                db.get(v);
                yield NdArray.ofDoubles(v, shape);
            }
            case INT64 -> {
                var lb = t.getLongBuffer();
                long[] v = new long[lb.remaining()];
                lb.get(v);
                yield NdArray.ofLongs(v, shape);
            }
            default -> {
                ByteBuffer bb = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                byte[] bytes = new byte[bb.remaining()];
                bb.get(bytes);
                DType d = switch (t.getInfo().type) {
                    case INT32 -> DType.INT32;
                    case INT8 -> DType.INT8;
                    case UINT8 -> DType.UINT8;
                    case BOOL -> DType.BOOL;
                    default -> throw new VerificationException("output type " + t.getInfo().type + " is not supported");
                };
                yield NdArray.ofBytes(d, shape, bytes);
            }
        };
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
