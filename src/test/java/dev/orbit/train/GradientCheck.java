package dev.orbit.train;

import static org.bytedeco.pytorch.global.torch.abs;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.sum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Test helper: checks libtorch's autograd through Orbit's evaluator against central finite differences, in
 * float64. The loss is L = Σ w ⊙ y over every floating output y with fixed random w, optionally plus
 * ½ Σ u ⊙ y² ({@link #withSquares}) so that ops linear in their inputs have a Hessian worth checking.
 * <ul>
 * <li>first order: ∂L/∂xᵢ against (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h, h = 1e-6;</li>
 * <li>second order: H·v (double backward) against (∇L(x + h·v) − ∇L(x − h·v)) / 2h, h = 1e-5, random v;
 * and ∇‖∇L‖² against the same difference along the gradient itself.</li>
 * </ul>
 * A component passes when |fd − ad| ≤ tol · max(|fd|, |ad|) or ≤ an absolute floor; the floor is the
 * rounding noise of the difference quotient (ε · magnitude / h) with a wide margin, so it only matters for
 * components far below the scale of the problem. Every floating input and parameter is differentiated
 * unless named in {@link #constant}; those differentiated must be float64.
 */
public final class GradientCheck {
    static final double H1 = 1e-6;
    static final double TOL1 = 1e-6;
    static final double H2 = 1e-5;
    static final double TOL2 = 1e-5;
    /** Absolute floors, relative to the loss magnitude Σ|terms| (first order) and to the size of g and H·v. */
    static final double FLOOR1 = 1e-8;
    static final double FLOOR2 = 1e-7;

    /** The worst component of one comparison: err = |fd − ad| / max(|fd|, |ad|, floor/tol); passes iff ≤ tol. */
    public record Result(double err, String where, double autograd, double finiteDifference) {
        static final Result NONE = new Result(0, "-", 0, 0);

        Result worse(Result o) { return o.err > err ? o : this; }
    }

    private final Model model;
    private final Evaluator evaluator;
    private final Set<String> inputNames;
    private final Map<String, NdArray> values = new LinkedHashMap<>();
    private final List<String> wrt = new ArrayList<>();
    private final Map<String, NdArray> linearWeights = new LinkedHashMap<>();
    private final Map<String, NdArray> squareWeights = new LinkedHashMap<>();
    private final long seed;
    private boolean training;
    private boolean squares;

    /** {@code feeds} are the graph inputs; parameters come from the model. */
    public GradientCheck(Model model, Map<String, NdArray> feeds, long seed) {
        this.model = model;
        this.evaluator = new Evaluator(model);
        this.seed = seed;
        this.inputNames = Set.copyOf(feeds.keySet());
        values.putAll(feeds);
        values.putAll(model.graph().parameters());
        for (var e : values.entrySet()) if (e.getValue().dtype().isFloating()) wrt.add(e.getKey());
    }

    /** Treats these values as constants (not differentiated). */
    public GradientCheck constant(String... names) {
        wrt.removeAll(List.of(names));
        return this;
    }

    /** Evaluates with {@code training = true} (batch statistics in BatchNormalization). */
    public GradientCheck training() {
        training = true;
        return this;
    }

    /** Adds ½ Σ u ⊙ y² to the loss. */
    public GradientCheck withSquares() {
        squares = true;
        return this;
    }

    // ---------------------------------------------------------------- checks

    /** Compares the autograd gradient with central differences; throws AssertionError on a mismatch. */
    public Result checkGradient() {
        double[][] x = start();
        double[][] ad = gradient(x);
        double floor = FLOOR1 * Math.max(1, magnitude(x));
        Result worst = Result.NONE;
        for (int k = 0; k < x.length; k++) {
            for (int i = 0; i < x[k].length; i++) {
                double x0 = x[k][i];
                double up = x0 + H1;
                double down = x0 - H1;
                x[k][i] = up;
                double lUp = loss(x);
                x[k][i] = down;
                double lDown = loss(x);
                x[k][i] = x0;
                double fd = (lUp - lDown) / (up - down);
                worst = worst.worse(compare(ad[k][i], fd, floor, TOL1, wrt.get(k) + "[" + i + "]"));
            }
        }
        return verdict("gradient", worst, TOL1, floor);
    }

    /** Compares the Hessian-vector product with the central difference of the gradient along a random v. */
    public Result checkHessianVector() {
        double[][] x = start();
        double[][] v = direction();
        double[][] hv = hessianVector(x, v);
        double[][] up = step(x, v, H2);
        double[][] down = step(x, v, -H2);
        double[][] gUp = gradient(up);
        double[][] gDown = gradient(down);
        double floor = FLOOR2 * Math.max(1, Math.max(maxAbs(gradient(x)), maxAbs(hv)));
        Result worst = Result.NONE;
        for (int k = 0; k < x.length; k++) {
            for (int i = 0; i < x[k].length; i++) {
                double fd = (gUp[k][i] - gDown[k][i]) / (2 * H2);
                worst = worst.worse(compare(hv[k][i], fd, floor, TOL2, "Hv:" + wrt.get(k) + "[" + i + "]"));
            }
        }
        return verdict("Hessian-vector product", worst, TOL2, floor);
    }

    /**
     * ∇‖∇L‖² (what gradient-guided teleportation climbs) against 2·‖g‖·(∇L(x + h·ĝ) − ∇L(x − h·ĝ)) / 2h, with
     * g = ∇L(x) and ĝ = g / ‖g‖∞ (since ∇‖∇L‖² = 2·H·g).
     */
    public Result checkGradNormGradient() {
        double[][] x = start();
        double[][] g = gradient(x);
        double norm = maxAbs(g);
        if (norm == 0) return Result.NONE; // 2·H·0: nothing to compare (e.g. every input clipped)
        double[][] unit = new double[g.length][];
        for (int k = 0; k < g.length; k++) unit[k] = Arrays.stream(g[k]).map(a -> a / norm).toArray();
        double[][] ad;
        try (PointerScope _ = new PointerScope()) {
            List<Tensor> leaves = leaves(x, true);
            ad = copy(Gradients.gradOfGradNormSquared(lossTensor(leaves, false), leaves));
        }
        double[][] gUp = gradient(step(x, unit, H2));
        double[][] gDown = gradient(step(x, unit, -H2));
        double floor = FLOOR2 * Math.max(1, Math.max(norm * norm, maxAbs(ad)));
        Result worst = Result.NONE;
        for (int k = 0; k < x.length; k++) {
            for (int i = 0; i < x[k].length; i++) {
                double fd = 2 * norm * (gUp[k][i] - gDown[k][i]) / (2 * H2);
                worst = worst.worse(compare(ad[k][i], fd, floor, TOL2, "∇‖∇L‖²:" + wrt.get(k) + "[" + i + "]"));
            }
        }
        return verdict("gradient of the squared gradient norm", worst, TOL2, floor);
    }

    private static Result compare(double ad, double fd, double floor, double tol, String where) {
        double scale = Math.max(Math.max(Math.abs(ad), Math.abs(fd)), floor / tol);
        double err = Math.abs(ad - fd) / scale;
        if (Double.isNaN(ad) || Double.isNaN(fd)) err = Double.POSITIVE_INFINITY;
        return new Result(err, where, ad, fd);
    }

    private Result verdict(String what, Result worst, double tol, double floor) {
        if (!(worst.err <= tol)) {
            throw new AssertionError(describe() + ": " + what + " differs at " + worst.where + ": autograd "
                    + worst.autograd + " vs finite difference " + worst.finiteDifference + " (error " + worst.err
                    + " > " + tol + ", absolute floor " + floor + ")");
        }
        return worst;
    }

    /** The nodes with their attributes, and the shapes of the differentiated values, for messages. */
    public String describe() {
        String nodes = model.graph().nodes().stream().map(GradientCheck::describe).collect(Collectors.joining(" → "));
        String shapes = wrt.stream().map(n -> n + Arrays.toString(values.get(n).shape()))
                .collect(Collectors.joining(", "));
        return nodes + " (opset " + model.opset() + (training ? ", training" : "") + ") wrt " + shapes;
    }

    private static String describe(Node n) {
        return n.opType() + (n.attributes().map().isEmpty() ? "" : n.attributes().map().toString());
    }

    // ---------------------------------------------------------------- evaluation

    private double[][] start() {
        for (String n : wrt) {
            if (values.get(n).dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(n + " is " + values.get(n).dtype() + ": differentiate float64 only");
            }
        }
        double[][] x = new double[wrt.size()][];
        for (int k = 0; k < x.length; k++) x[k] = values.get(wrt.get(k)).toDoubleArray();
        return x;
    }

    private double[][] direction() {
        Random r = new Random(seed ^ 0x5eedL);
        double[][] v = start();
        for (double[] a : v) for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        return v;
    }

    private static double[][] step(double[][] x, double[][] v, double h) {
        double[][] y = new double[x.length][];
        for (int k = 0; k < x.length; k++) {
            y[k] = x[k].clone();
            for (int i = 0; i < y[k].length; i++) y[k][i] += h * v[k][i];
        }
        return y;
    }

    private double loss(double[][] x) {
        try (PointerScope _ = new PointerScope()) {
            return lossTensor(leaves(x, false), false).item_double();
        }
    }

    /** Σ|w ⊙ y| (+ Σ|u ⊙ y²|): the size of the terms whose rounding the difference quotient amplifies. */
    private double magnitude(double[][] x) {
        try (PointerScope _ = new PointerScope()) {
            return lossTensor(leaves(x, false), true).item_double();
        }
    }

    private double[][] gradient(double[][] x) {
        try (PointerScope _ = new PointerScope()) {
            List<Tensor> leaves = leaves(x, true);
            return copy(Gradients.grad(lossTensor(leaves, false), leaves, false));
        }
    }

    private double[][] hessianVector(double[][] x, double[][] v) {
        try (PointerScope _ = new PointerScope()) {
            List<Tensor> leaves = leaves(x, true);
            List<Tensor> vs = new ArrayList<>();
            for (int k = 0; k < v.length; k++) vs.add(tensor(v[k], wrt.get(k)));
            return copy(Gradients.hessianVector(lossTensor(leaves, false), leaves, vs));
        }
    }

    /** The differentiated values at x as leaf tensors (inside the caller's scope). */
    private List<Tensor> leaves(double[][] x, boolean requiresGrad) {
        List<Tensor> out = new ArrayList<>(x.length);
        for (int k = 0; k < x.length; k++) {
            Tensor t = tensor(x[k], wrt.get(k));
            if (requiresGrad) t.set_requires_grad(true);
            out.add(t);
        }
        return out;
    }

    private Tensor tensor(double[] v, String name) {
        return NdArray.ofDoubles(v, values.get(name).shape()).toTorch();
    }

    /** Runs the model with the leaves in place of their values; the loss, or with {@code absolute} its magnitude. */
    private Tensor lossTensor(List<Tensor> leaves, boolean absolute) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            int k = wrt.indexOf(e.getKey());
            Tensor t = k >= 0 ? leaves.get(k) : e.getValue().toTorch();
            (inputNames.contains(e.getKey()) ? inputs : params).put(e.getKey(), t);
        }
        Tensor total = null;
        for (var e : evaluator.forward(inputs, params, training).entrySet()) {
            Tensor y = e.getValue();
            if (!DType.fromTorch(y.scalar_type()).isFloating()) continue;
            Tensor term = sum(magnitudeOf(mul(weights(linearWeights, e.getKey(), y, 1), y), absolute));
            if (squares) {
                Tensor sq = mul(mul(weights(squareWeights, e.getKey(), y, 2), y), y);
                term = add(term, sum(magnitudeOf(mul(sq, new Scalar(0.5)), absolute)));
            }
            total = total == null ? term : add(total, term);
        }
        if (total == null) throw new IllegalStateException(describe() + ": no floating output");
        return total;
    }

    private static Tensor magnitudeOf(Tensor t, boolean absolute) { return absolute ? abs(t) : t; }

    /** Fixed random weights per output (the same at every evaluation point). */
    private Tensor weights(Map<String, NdArray> cache, String output, Tensor y, int salt) {
        long[] shape = y.sizes().vec().get();
        NdArray w = cache.computeIfAbsent(output, o -> {
            Random r = new Random(seed * 31 + o.hashCode() * 7L + salt);
            double[] a = new double[Math.toIntExact(NdArray.count(shape))];
            for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
            return NdArray.ofDoubles(a, shape);
        });
        return w.toTorch();
    }

    private static double[][] copy(List<Tensor> ts) {
        double[][] out = new double[ts.size()][];
        for (int k = 0; k < out.length; k++) out[k] = NdArray.fromTorch(ts.get(k)).toDoubleArray();
        return out;
    }

    private static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] r : a) for (double v : r) m = Math.max(m, Math.abs(v));
        return m;
    }
}
