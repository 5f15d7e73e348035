package dev.orbit.ode;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.numeric.RelativeError;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;

/** Runs an unrolled ODE model (input x0, output xT, float64) in ONNX Runtime after an ONNX export. */
public final class OrtCheck {
    private OrtCheck() {}

    public static Tensor run(Model m, Tensor x0) {
        try (OrtRunner ort = new OrtRunner(OnnxExporter.toBytes(m), 1)) {
            NdArray out = ort.run(Map.of(GraphWriter.INPUT, NdArray.fromTorch(x0.detach().contiguous()))).get(GraphWriter.OUTPUT);
            return out.toTorch();
        }
    }

    /** max |a − b| / max |b| ({@link RelativeError#inMaxNorm}). */
    public static double relativeError(Tensor a, Tensor b) {
        return RelativeError.inMaxNorm(Tensors.values(a), Tensors.values(b));
    }
}
