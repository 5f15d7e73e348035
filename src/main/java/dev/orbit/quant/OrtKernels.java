package dev.orbit.quant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;

/**
 * Which kernels ONNX Runtime runs a model with: the session writes its optimised graph (after the QDQ fusions)
 * through {@code SessionOptions.setOptimizedModelFilePath}, and the op types of that graph are counted. A W8A8
 * model that ONNX Runtime really runs in integers shows QLinearConv, QLinearMatMul, MatMulInteger or ConvInteger
 * (QGemm from the com.microsoft domain); a weight-only model shows DequantizeLinear feeding float kernels.
 */
public final class OrtKernels {
    /** Integer kernels whose presence proves ONNX Runtime computes in int8. */
    public static final Set<String> INTEGER_KERNELS = Set.of("QLinearConv", "QLinearMatMul", "MatMulInteger", "ConvInteger", "QGemm");

    private OrtKernels() {}

    /** Op type (domain-qualified when not standard) → count, in ONNX Runtime's optimised graph of {@code m}. */
    public static Map<String, Integer> optimisedOps(Model m) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("orbit-ort-optimised");
            Path file = dir.resolve("optimised.onnx");
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                options.setOptimizedModelFilePath(file.toString());
                options.setIntraOpNumThreads(1);
                try (OrtSession s = OrtEnvironment.getEnvironment().createSession(OnnxExporter.toBytes(m), options)) {
                    // the file is written when the session is created
                }
            }
            OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
            Map<String, Integer> out = new LinkedHashMap<>();
            for (OnnxMl.NodeProto n : proto.getGraph().getNodeList()) {
                String key = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : n.getDomain() + "::" + n.getOpType();
                out.merge(key, 1, Integer::sum);
            }
            return out;
        } catch (OrtException | IOException e) {
            throw new IllegalStateException("ONNX Runtime could not write its optimised graph: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) Files.deleteIfExists(p);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary folder left behind is harmless
                }
            }
        }
    }

    /** How many nodes of {@code opType} the optimised graph has, in any domain (ONNX Runtime may pick its NHWC com.microsoft variant). */
    public static int count(Map<String, Integer> ops, String opType) {
        int n = 0;
        for (var e : ops.entrySet()) if (e.getKey().equals(opType) || e.getKey().endsWith("::" + opType)) n += e.getValue();
        return n;
    }

    /** Whether the optimised graph contains an integer kernel. */
    public static boolean usesIntegerKernels(Map<String, Integer> ops) {
        for (String k : ops.keySet()) {
            String op = k.contains("::") ? k.substring(k.indexOf("::") + 2) : k;
            if (INTEGER_KERNELS.contains(op)) return true;
        }
        return false;
    }
}
