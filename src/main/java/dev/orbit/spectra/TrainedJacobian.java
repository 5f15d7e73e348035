package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.io.ReadLimits;
import dev.orbit.ops.Activation;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Gradients;
import dev.orbit.verify.EvaluationBudget;

/**
 * The input–output Jacobian of a model (any graph Orbit evaluates) at data points, by libtorch autograd through
 * Orbit's evaluator with every floating parameter cast to float64. One backward pass per point: the input is
 * repeated K times (K outputs) and the gradient of Σ_k out[k, k] gives J's K rows at once (rows of a batch do not
 * interact in inference mode). The spectrum is that of JJᵀ (K eigenvalues per point).
 */
public final class TrainedJacobian {
    /** Eigenvalues of JJᵀ pooled over the points (ascending), and the Jacobian's size. */
    public record Result(int points, int outputs, int inputs, double[] eigenvalues) {
        public double mean() { return Arrays.stream(eigenvalues).average().orElse(Double.NaN); }

        public double varianceRatio() {
            double m1 = mean(), m2 = Arrays.stream(eigenvalues).map(x -> x * x).average().orElse(Double.NaN);
            return m2 / (m1 * m1) - 1;
        }
    }

    private TrainedJacobian() {}

    /** The Jacobian spectrum at the first {@code count} rows of {@code data} ([n, features], reshaped to the model input). */
    public static Result measure(Model model, NdArray data, int count, IntConsumer progress) {
        var input = model.graph().inputs().getFirst();
        long features = data.dim(1);
        long[] inShape = inputShape(input, features);
        // before libtorch runs the user's model: a value whose declared or constant shape exceeds the limits (a
        // ConstantOfShape asking for terabytes) is refused here rather than in libtorch's allocator
        EvaluationBudget.checkShapes(model, Map.of(input.name(), Shape.of(inShape)), ReadLimits.current().maxBytes());
        Evaluator ev = new Evaluator(model);
        float[] all = data.toFloatArray();
        List<double[]> eig = new ArrayList<>();
        int outputs = -1;
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> params = new HashMap<>();
            for (var e : model.graph().parameters().entrySet()) {
                Tensor t = e.getValue().toTorch();
                params.put(e.getKey(), e.getValue().dtype().isFloating() ? t.to(torch.ScalarType.Double) : t);
            }
            for (int i = 0; i < count; i++) {
                try (PointerScope step = new PointerScope()) {
                    double[] row = new double[(int) features];
                    for (int j = 0; j < features; j++) row[j] = all[(int) (i * features + j)];
                    Tensor x = JacobianMonteCarlo.tensor(row, inShape);
                    if (outputs < 0) {
                        Tensor y = ev.forward(Map.of(input.name(), x), params, false).values().iterator().next();
                        outputs = (int) (y.numel() / y.size(0));
                    }
                    long[] repeat = new long[inShape.length];
                    Arrays.fill(repeat, 1);
                    repeat[0] = outputs;
                    Tensor xs = x.repeat(repeat);
                    xs.set_requires_grad(true);
                    Tensor y = ev.forward(Map.of(input.name(), xs), params, false).values().iterator().next().reshape(outputs, outputs);
                    Tensor jac = Gradients.grad(torch.sum(torch.diagonal(y)), List.of(xs), false).getFirst().reshape(outputs, features);
                    Tensor s = torch.linalg_svdvals(jac);
                    eig.add(JacobianMonteCarlo.toArray(torch.mul(s, s)));
                }
                progress.accept(i + 1);
            }
        }
        double[] pooled = eig.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        return new Result(count, outputs, (int) features, pooled);
    }

    /** [1, features] for a rank-2 input, [1, C, H, W] (C·H·W = features) for an image input. */
    private static long[] inputShape(dev.orbit.graph.ValueInfo input, long features) {
        var shape = input.type().shape();
        if (shape == null || shape.rank() == 2) return new long[] {1, features};
        long[] s = new long[shape.rank()];
        s[0] = 1;
        long known = 1;
        for (int i = 1; i < s.length; i++) {
            s[i] = shape.dim(i) instanceof dev.orbit.graph.Dim.Known(long d) ? d : -1;
            if (s[i] > 0) known *= s[i];
        }
        if (known != features || Arrays.stream(s).anyMatch(d -> d < 0)) {
            throw new dev.orbit.graph.ShapeException("model input '" + input.name() + "' " + shape + " does not take "
                    + features + " features per sample");
        }
        return s;
    }

    /**
     * The MLP spec of a chain of Gemm layers (weights [out, in], transB = 1, as Orbit and PyTorch export) with one
     * elementwise activation between them (an op of the standard registry whose node is exactly the activation:
     * one input, no attributes), for rebuilding the same architecture at initialisation; empty otherwise.
     */
    public static Optional<ArchSpec.Mlp> mlpSpec(Model model) {
        OpRegistry registry = StandardOps.registry();
        List<Integer> widths = new ArrayList<>();
        Activation activation = null;
        for (Node n : model.graph().nodes()) {
            Op op = registry.find(n, model.opset()).orElse(null);
            if (n.opType().equals("Gemm")) {
                NdArray w = model.graph().parameter(n.input(1));
                if (w == null || w.rank() != 2 || n.attributes().getInt("transB", 0) != 1) return Optional.empty();
                if (widths.isEmpty()) widths.add((int) w.dim(1));
                else if (widths.getLast() != w.dim(1)) return Optional.empty();
                widths.add((int) w.dim(0));
            } else if (n.opType().equals("Flatten") || n.opType().equals("Identity")) {
                continue;
            } else if (op instanceof ElementwiseOp e && !e.names().isEmpty() && !e.takesParameter() && n.inputs().size() == 1
                    && n.attributes().map().isEmpty()) {
                Activation a = registry.activation(e.names().getFirst());
                if (activation != null && !activation.equals(a)) return Optional.empty();
                activation = a;
            } else {
                return Optional.empty();
            }
        }
        if (widths.size() < 2) return Optional.empty();
        return Optional.of(new ArchSpec.Mlp(widths, activation == null ? registry.activation("linear") : activation));
    }
}
