package dev.orbit.hyperbolic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import dev.orbit.eval.Evaluator;
import dev.orbit.geometry.LayerIsometry;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.symmetry.ElementFile;
import dev.orbit.symmetry.IsometryElement;
import dev.orbit.symmetry.LengthLayers;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * Draws equivalent copies of a length-product model (a random group element per layer) and verifies each: in
 * float64 in Orbit's evaluator, in float64 in ONNX Runtime (standard-op export) and in float32 in ONNX Runtime, all
 * against the original model's float64 output in Orbit. Relative errors use the output's scale as ε
 * ({@link OutputComparison}). Only the float64 figures are held to the tolerance; float32 is reported.
 */
public final class OrbitCopies {
    private OrbitCopies() {}

    public record Config(int count, double spread, long seed, double tolerance, boolean writeModels) {
        public Config {
            if (count <= 0) throw new IllegalArgumentException("the number of copies must be positive, got " + count);
            if (!(spread >= 0) || !Double.isFinite(spread)) throw new IllegalArgumentException("spread must be ≥ 0, got " + spread);
            if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
        }
    }

    /** One copy: how far its weights moved and how far its outputs are from the original's. */
    public record Copy(int index, String file, double weightChange, double orbitFloat64, double ortFloat64, double ortFloat32,
                       double argmaxAgreementFloat32, boolean passed) {}

    /**
     * {@code exportFloat64}: original model through its float64 standard export in ONNX Runtime; {@code baselineFloat32}:
     * the original model in float32 in ONNX Runtime — the rounding floor every float32 copy is measured against.
     */
    public record Result(String model, Config config, int samples, List<String> layers, double exportFloat64, double baselineFloat32,
                         List<Copy> copies, double maxOrbitFloat64, double maxOrtFloat64, double maxOrtFloat32, boolean passed) {}

    public static Result run(Model model, String label, NdArray inputs, Config c, Path dir, IntConsumer progress) {
        List<LengthLayers.Layer> layers = LengthLayers.of(model);
        if (layers.isEmpty()) throw new IllegalArgumentException("the model has no length-product layers (dev.orbit::HyperbolicLengthProduct or EuclideanLengthProduct)");
        String in = model.graph().inputs().getFirst().name();
        String out = model.graph().outputs().getFirst().name();
        Model m64 = Precision.convert(model, DType.FLOAT64);
        NdArray x64 = Precision.convert(inputs, DType.FLOAT64);
        NdArray x32 = Precision.convert(inputs, DType.FLOAT32);
        NdArray reference = new Evaluator(m64).run(Map.of(in, x64)).get(out);
        double export64 = ort(StandardOnnx.expand(m64, DType.FLOAT64), in, x64, out, reference).maxRelError();
        double base32 = ort(StandardOnnx.expand(m64, DType.FLOAT32), in, x32, out, reference).maxRelError();
        SplittableRandom rng = new SplittableRandom(c.seed());
        List<Copy> copies = new ArrayList<>();
        double[] worst = new double[3];
        for (int i = 0; i < c.count(); i++) {
            IsometryElement element = LengthLayers.randomElement(m64, rng, c.spread());
            Model moved = OrbitAction.apply(m64, element);
            double e64 = OutputComparison.of(out, reference, new Evaluator(moved).run(Map.of(in, x64)).get(out)).maxRelError();
            Model std64 = StandardOnnx.expand(moved, DType.FLOAT64);
            double o64 = ort(std64, in, x64, out, reference).maxRelError();
            OutputComparison o32 = ort(StandardOnnx.expand(moved, DType.FLOAT32), in, x32, out, reference);
            boolean ok = e64 <= c.tolerance() && o64 <= c.tolerance();
            String file = null;
            if (c.writeModels() && dir != null) {
                file = String.format("model-%04d.onnx", i + 1);
                Model saved = moved.withInfo(moved.info().withMetadata("orbit.orbit", "copy " + (i + 1) + " of " + label
                        + ", seed " + c.seed() + ", spread " + c.spread()));
                OnnxExporter.write(saved, dir.resolve(file));
                OnnxExporter.write(std64, dir.resolve(String.format("model-%04d.standard.onnx", i + 1)));
                ElementFile.write(dir.resolve(String.format("model-%04d.element.json", i + 1)), element);
            }
            copies.add(new Copy(i + 1, file, weightChange(m64, moved, layers), e64, o64, o32.maxRelError(), o32.argmaxAgreement(), ok));
            worst[0] = Math.max(worst[0], e64);
            worst[1] = Math.max(worst[1], o64);
            worst[2] = Math.max(worst[2], o32.maxRelError());
            if (progress != null) progress.accept(i + 1);
        }
        boolean passed = copies.stream().allMatch(Copy::passed) && export64 <= c.tolerance();
        return new Result(label, c, (int) inputs.dim(0), layers.stream().map(l -> l.name() + " (" + describe(l.geometry()) + ")").toList(),
                export64, base32, copies, worst[0], worst[1], worst[2], passed);
    }

    private static OutputComparison ort(Model m, String in, NdArray x, String out, NdArray reference) {
        try (OrtRunner r = new OrtRunner(dev.orbit.io.onnx.OnnxExporter.toBytes(m), Math.max(1, Runtime.getRuntime().availableProcessors()))) {
            return OutputComparison.of(out, reference, Precision.convert(r.run(Map.of(in, x)).get(out), DType.FLOAT64));
        }
    }

    /** mean|V − W| / mean|W| over the length-product weights. */
    static double weightChange(Model a, Model b, List<LengthLayers.Layer> layers) {
        double diff = 0;
        double size = 0;
        for (LengthLayers.Layer l : layers) {
            double[] w = a.graph().parameter(l.node().input(1)).toDoubleArray();
            double[] v = b.graph().parameter(l.node().input(1)).toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                diff += Math.abs(v[i] - w[i]);
                size += Math.abs(w[i]);
            }
        }
        return diff / size;
    }

    static String describe(LayerIsometry.Geometry g) {
        return switch (g) {
            case LayerIsometry.Geometry.Line l -> "line, E(1)";
            case LayerIsometry.Geometry.Plane p -> "H², PSL(2,R)";
            case LayerIsometry.Geometry.HalfSpace h -> "H" + h.n() + ", O⁺(" + h.n() + ",1)";
        };
    }
}
