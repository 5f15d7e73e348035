package dev.orbit.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import net.jqwik.api.Disabled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.ops.OpCheck;
import dev.orbit.tensor.NdArray;

/**
 * Gradient checks of every differentiable op mapping: libtorch autograd through Orbit's evaluator against
 * central finite differences in float64 ({@link GradientCheck}): the gradient, Hessian-vector products and
 * ∇‖∇L‖². Ops that are linear or piecewise linear in their inputs get their second-order checks through a
 * loss with squared outputs (their own Hessian is zero), so double backward through them is still exercised.
 * Inputs stay at least {@link #MARGIN} away from kinks, and pooled or max-reduced values are distinct (0.1
 * apart). Random shapes and attributes come from jqwik with a fixed seed; values from a Random seeded by the
 * try. The properties under "known gaps" fail today and are disabled with the reason.
 */
class OpGradientPropertyTest {
    private static final String SEED = "20260517";
    private static final double MARGIN = 0.05;
    /** Worst errors per op (gradient, H·v, ∇‖∇L‖²), printed after the run. */
    private static final Map<String, double[]> WORST = new ConcurrentHashMap<>();

    // ================================================================ linear maps

    /** Every form of C (absent, M×N, N, 1×N, M×1, scalar) on each try. */
    @Property(tries = 8, seed = SEED)
    void gemm(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int n,
              @ForAll @IntRange(min = 1, max = 4) int k, @ForAll boolean transA, @ForAll boolean transB,
              @ForAll boolean unitScales, @ForAll long seed) {
        Random r = new Random(seed);
        for (long[] c : Arrays.asList(null, dims(m, n), dims(n), dims(1, n), dims(m, 1), dims())) {
            Net net = Net.node("Gemm").in("A", randn(r, transA ? dims(k, m) : dims(m, k)))
                    .param("B", randn(r, transB ? dims(n, k) : dims(k, n)));
            if (c != null) net.param("C", randn(r, c));
            net.attr("transA", transA ? 1 : 0).attr("transB", transB ? 1 : 0);
            // alpha = beta = 1 with a C of rank ≤ 2 takes the addmm path
            if (!unitScales) net.attr("alpha", 0.5 + r.nextDouble()).attr("beta", -1.5 + r.nextDouble());
            both("Gemm", net, seed);
        }
    }

    /** Every pattern on each try: plain, batched, broadcast batch, vector on either side, dot product. */
    @Property(tries = 6, seed = SEED)
    void matMul(@ForAll @IntRange(min = 1, max = 3) int m, @ForAll @IntRange(min = 1, max = 3) int k,
                @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 2, max = 3) int b, @ForAll long seed) {
        Random r = new Random(seed);
        long[][][] patterns = {
                {dims(m, k), dims(k, n)}, {dims(b, m, k), dims(b, k, n)}, {dims(b, m, k), dims(k, n)},
                {dims(b, 1, m, k), dims(2, k, n)}, {dims(k), dims(b, k, n)}, {dims(b, m, k), dims(k)}, {dims(k), dims(k)}};
        for (long[][] s : patterns) both("MatMul", Net.node("MatMul").in("A", randn(r, s[0])).param("B", randn(r, s[1])), seed);
    }

    // ================================================================ convolutions and pooling

    /** Plain, depthwise and two-group convolutions on each try; pads none, symmetric, asymmetric or SAME. */
    @Property(tries = 10, seed = SEED)
    void conv(@ForAll @IntRange(min = 1, max = 2) int spatial, @ForAll @IntRange(min = 1, max = 2) int stride,
              @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll @IntRange(min = 0, max = 3) int padding,
              @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        for (int grouping = 0; grouping < 3; grouping++) conv(r, grouping, spatial, stride, dilation, padding, bias, seed);
    }

    private static void conv(Random r, int grouping, int spatial, int stride, int dilation, int padding, boolean bias,
                             long seed) {
        long[] g = groups(r, grouping);
        long groups = g[0];
        long cin = g[1];
        long cout = g[2];
        long[] kernel = new long[spatial];
        long[] x = new long[spatial + 2];
        x[0] = 1 + r.nextInt(2);
        x[1] = cin;
        for (int i = 0; i < spatial; i++) {
            kernel[i] = 1 + r.nextInt(3);
            x[i + 2] = (kernel[i] - 1) * dilation + 1 + r.nextInt(3);
        }
        Net net = Net.node("Conv").in("X", randn(r, x)).param("W", randn(r, cat(dims(cout, cin / groups), kernel)));
        if (bias) net.param("B", randn(r, cout));
        net.attr("group", groups).attr("strides", fill(spatial, stride)).attr("dilations", fill(spatial, dilation));
        switch (padding) {
            case 1 -> net.attr("pads", symmetricPads(r, kernel));
            case 2 -> net.attr("pads", randomPads(r, kernel));
            case 3 -> net.attr("auto_pad", r.nextBoolean() ? "SAME_UPPER" : "SAME_LOWER");
            default -> { }
        }
        both("Conv", net, seed);
    }

    /** As for Conv, with output_padding, and pads explicit or SAME. */
    @Property(tries = 10, seed = SEED)
    void convTranspose(@ForAll @IntRange(min = 1, max = 2) int spatial, @ForAll @IntRange(min = 1, max = 2) int stride,
                       @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll @IntRange(min = 0, max = 2) int padding,
                       @ForAll boolean bias, @ForAll long seed) {
        Random r = new Random(seed);
        for (int grouping = 0; grouping < 3; grouping++) convTranspose(r, grouping, spatial, stride, dilation, padding, bias, seed);
    }

    private static void convTranspose(Random r, int grouping, int spatial, int stride, int dilation, int padding,
                                      boolean bias, long seed) {
        long[] g = groups(r, grouping);
        long groups = g[0];
        long cin = g[1];
        long cout = g[2];
        long[] kernel = new long[spatial];
        long[] x = new long[spatial + 2];
        long[] outputPadding = new long[spatial];
        x[0] = 1 + r.nextInt(2);
        x[1] = cin;
        for (int i = 0; i < spatial; i++) {
            kernel[i] = 1 + r.nextInt(3);
            x[i + 2] = 1 + r.nextInt(3);
            outputPadding[i] = r.nextInt(stride);
        }
        Net net = Net.node("ConvTranspose").in("X", randn(r, x))
                .param("W", randn(r, cat(dims(cin, cout / groups), kernel)));
        if (bias) net.param("B", randn(r, cout));
        net.attr("group", groups).attr("strides", fill(spatial, stride)).attr("dilations", fill(spatial, dilation))
                .attr("output_padding", outputPadding);
        switch (padding) {
            case 1 -> {
                // at most half the dilated kernel on each side keeps every output length positive
                long[] pads = new long[2 * spatial];
                for (int i = 0; i < 2 * spatial; i++) pads[i] = r.nextInt((int) ((kernel[i % spatial] - 1) * dilation / 2 + 1));
                net.attr("pads", pads);
            }
            case 2 -> net.attr("auto_pad", r.nextBoolean() ? "SAME_UPPER" : "SAME_LOWER");
            default -> { }
        }
        both("ConvTranspose", net, seed);
    }

    @Property(tries = 10, seed = SEED)
    void maxPool(@ForAll @IntRange(min = 1, max = 2) int spatial, @ForAll @IntRange(min = 1, max = 2) int stride,
                 @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean padded, @ForAll boolean ceil,
                 @ForAll long seed) {
        Random r = new Random(seed);
        Net net = Net.node("MaxPool").in("X", distinct(r, poolInput(r, spatial, dilation)));
        poolWindows(net, r, spatial, stride, padded, ceil).attr("dilations", fill(spatial, dilation));
        passthrough("MaxPool", net, seed);
    }

    @Property(tries = 10, seed = SEED)
    void averagePool(@ForAll @IntRange(min = 1, max = 2) int spatial, @ForAll @IntRange(min = 1, max = 2) int stride,
                     @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean padded, @ForAll boolean ceil,
                     @ForAll boolean countIncludePad, @ForAll long seed) {
        Random r = new Random(seed);
        Net net = Net.node("AveragePool").in("X", randn(r, poolInput(r, spatial, dilation))).opset(19);
        poolWindows(net, r, spatial, stride, padded, ceil).attr("dilations", fill(spatial, dilation))
                .attr("count_include_pad", countIncludePad ? 1 : 0);
        passthrough("AveragePool", net, seed);
    }

    @Property(tries = 5, seed = SEED)
    void globalAveragePool(@ForAll @IntRange(min = 3, max = 5) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        passthrough("GlobalAveragePool", Net.node("GlobalAveragePool").in("X", randn(r, shape(r, rank, rank, 3))), seed);
    }

    // ================================================================ normalisation

    @Property(tries = 8, seed = SEED)
    void batchNormalizationInference(@ForAll @IntRange(min = 2, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] x = shape(r, rank, rank, 3);
        // running mean and variance are state, not trained (libtorch's batch_norm refuses them under autograd)
        both("BatchNormalization", batchNorm(Net.node("BatchNormalization"), r, x).attr("epsilon", 1e-3)
                .fixed("mean", "var"), seed);
    }

    @Property(tries = 8, seed = SEED)
    void batchNormalizationTraining(@ForAll @IntRange(min = 2, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] x = batchStatShape(r, rank);
        Net net = batchNorm(Net.node("BatchNormalization"), r, x);
        GradientCheck c = net.grad(seed).training();
        record("BatchNormalization (training)", c.checkGradient(), c.checkHessianVector(), c.checkGradNormGradient());
    }

    /** training_mode=1 (opset 15) with the running-statistics outputs, which depend on X too. */
    @Property(tries = 6, seed = SEED)
    void batchNormalizationTrainingModeOutputs(@ForAll @IntRange(min = 2, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] x = batchStatShape(r, rank);
        Node n = new Node("bn", "BatchNormalization", List.of("X", "scale", "B", "mean", "var"),
                List.of("y", "runMean", "runVar"), attrs("training_mode", 1L, "momentum", 0.5 + 0.4 * r.nextDouble()));
        Net net = Net.graph(n).output("y").output("runMean").output("runVar").opset(15).feed("X", randn(r, x));
        addBatchNormParams(net, r, x[1]);
        both("BatchNormalization (training_mode)", net, seed);
    }

    /** Optionally with the Mean and InvStdDev outputs declared (unused here: see layerNormalizationStatistics). */
    @Property(tries = 8, seed = SEED)
    void layerNormalization(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll boolean broadcastScale,
                            @ForAll boolean bias, @ForAll boolean statistics, @ForAll long seed) {
        Random r = new Random(seed);
        long[] x = shape(r, rank, rank, 4);
        int axis = r.nextInt(rank);
        long[] normalized = Arrays.copyOfRange(x, axis, rank);
        // a broadcast scale covers only the last axis (libtorch takes the exact shape; others broadcast after)
        long[] p = broadcastScale && rank - axis > 1 ? dims(x[rank - 1]) : normalized;
        Node n = new Node("ln", "LayerNormalization", bias ? List.of("X", "scale", "B") : List.of("X", "scale"),
                statistics ? List.of("y", "mean", "istd") : List.of("y"),
                attrs("axis", (long) (r.nextBoolean() ? axis : axis - rank), "epsilon", 1e-3));
        Net net = Net.graph(n).output("y").opset(17).feed("X", randn(r, x)).constant("scale", randn(r, p));
        if (bias) net.constant("B", randn(r, p));
        both("LayerNormalization", net, seed);
    }

    // ================================================================ activations

    @Property(tries = 6, seed = SEED)
    void smoothActivations(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        for (String op : List.of("Sigmoid", "Tanh", "Erf", "Softplus")) both(op, Net.node(op).in("x", randn(r, 2, s)), seed);
        both("Gelu (none)", Net.node("Gelu").in("x", randn(r, 2, s)).opset(20), seed);
        both("Gelu (tanh)", Net.node("Gelu").in("x", randn(r, 2, s)).attr("approximate", "tanh").opset(20), seed);
        // Elu's and Selu's second derivative (and first, for alpha ≠ 1) jump at 0
        both("Elu", Net.node("Elu").in("x", awayFrom(r, 2, s, 0)).attr("alpha", 0.5 + 1.5 * r.nextDouble()), seed);
        both("Selu", Net.node("Selu").in("x", awayFrom(r, 2, s, 0)), seed);
        both("Selu (attrs)", Net.node("Selu").in("x", awayFrom(r, 2, s, 0))
                .attr("alpha", 1 + r.nextDouble()).attr("gamma", 0.5 + r.nextDouble()), seed);
    }

    @Property(tries = 6, seed = SEED)
    void piecewiseActivations(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        passthrough("Relu", Net.node("Relu").in("x", awayFrom(r, 1, s, 0)), seed);
        passthrough("LeakyRelu", Net.node("LeakyRelu").in("x", awayFrom(r, 1, s, 0)).attr("alpha", 0.3 * r.nextDouble()), seed);
        passthrough("LeakyRelu (default)", Net.node("LeakyRelu").in("x", awayFrom(r, 1, s, 0)), seed);
        passthrough("Abs", Net.node("Abs").in("x", awayFrom(r, 1, s, 0)), seed);
        double alpha = 0.1 + 0.4 * r.nextDouble();
        double beta = 0.2 + 0.6 * r.nextDouble();
        double fa = (float) alpha;
        double fb = (float) beta;
        passthrough("HardSigmoid", Net.node("HardSigmoid").attr("alpha", alpha).attr("beta", beta)
                .in("x", awayFrom(r, 1.5 / fa, s, -fb / fa, (1 - fb) / fa)), seed);
        passthrough("HardSigmoid (default)", Net.node("HardSigmoid").in("x", awayFrom(r, 3, s, -2.5, 2.5)), seed);
        // x·HardSigmoid(x) is quadratic on (−3, 3): its own Hessian is not zero
        both("HardSwish", Net.node("HardSwish").in("x", awayFrom(r, 3, s, -3, 3)).opset(14), seed);
    }

    /** Slopes of X's shape, per channel, over the last axis and a single one, on each try; the slope is differentiated. */
    @Property(tries = 6, seed = SEED)
    void prelu(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
               @ForAll @IntRange(min = 1, max = 3) int h, @ForAll @IntRange(min = 1, max = 3) int w, @ForAll long seed) {
        Random r = new Random(seed);
        long[] x = dims(n, c, h, w);
        for (long[] slope : List.of(x, dims(c, 1, 1), dims(w), dims(1))) {
            passthrough("PRelu", Net.node("PRelu").in("x", awayFrom(r, 1, x, 0)).param("slope", randn(r, slope)), seed);
        }
    }

    /** Both bounds, either one alone (as inputs, opset 13) and both as attributes (opset 6), on each try. */
    @Property(tries = 6, seed = SEED)
    void clip(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 4);
        double lo = -0.3 - r.nextDouble();
        double hi = 0.3 + r.nextDouble();
        double flo = (float) lo;
        double fhi = (float) hi;
        List<Net> forms = List.of(
                Net.node("Clip").in("x", awayFrom(r, 1.5, s, lo, hi)).param("min", scalar(lo)).param("max", scalar(hi)),
                Net.node("Clip").in("x", awayFrom(r, 1.5, s, lo)).param("min", scalar(lo)),
                Net.node("Clip").in("x", awayFrom(r, 1.5, s, hi)).skip().param("max", scalar(hi)),
                Net.node("Clip").in("x", awayFrom(r, 1.5, s, flo, fhi)).attr("min", lo).attr("max", hi).opset(6));
        // the bounds are constants here; see clipBounds for their own derivatives
        for (Net net : forms) passthrough("Clip", net.fixed("min", "max"), seed);
    }

    // ================================================================ elementwise arithmetic

    /** Same shapes, trailing axes, ones in places and a scalar on one side (either side), on each try. */
    @Property(tries = 8, seed = SEED)
    void binaryArithmetic(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll boolean swap, @ForAll long seed) {
        Random r = new Random(seed);
        long[] full = shape(r, rank, rank, 3);
        List<long[]> partners = List.of(full.clone(), Arrays.copyOfRange(full, r.nextInt(rank), rank), ones(r, full), dims());
        for (long[] small : partners) binaryArithmetic(r, swap ? small : full, swap ? full : small, seed);
    }

    private static void binaryArithmetic(Random r, long[] a, long[] b, long seed) {
        // linear: H = 0, and Gradients cannot take a constant gradient (see hessianOfLinearLoss)
        for (String op : List.of("Add", "Sub")) passthrough(op, Net.node(op).in("a", randn(r, a)).param("b", randn(r, b)), seed);
        both("Mul", Net.node("Mul").in("a", randn(r, a)).param("b", randn(r, b)), seed);
        both("Div", Net.node("Div").in("a", randn(r, a)).param("b", signedUniform(r, 0.5, 2, b)), seed);
        both("Pow", Net.node("Pow").in("a", uniform(r, 0.5, 2, a)).param("b", randn(r, b)), seed);
        // a negative base with a constant integral exponent (the common x², x³)
        NdArray exponent = NdArray.ofDoubles(filled(NdArray.count(b), 2 + r.nextInt(2)), b);
        both("Pow (integral exponent)", Net.node("Pow").in("a", randn(r, a)).param("b", exponent).fixed("b"), seed);
    }

    @Property(tries = 6, seed = SEED)
    void unaryArithmetic(@ForAll @IntRange(min = 0, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        both("Sqrt", Net.node("Sqrt").in("x", uniform(r, 0.5, 2, s)), seed);
        both("Log", Net.node("Log").in("x", uniform(r, 0.5, 2, s)), seed);
        both("Exp", Net.node("Exp").in("x", randn(r, s)), seed);
        both("Reciprocal", Net.node("Reciprocal").in("x", signedUniform(r, 0.5, 2, s)), seed);
        passthrough("Neg", Net.node("Neg").in("x", randn(r, s)), seed);
    }

    // ================================================================ softmax and reductions

    @Property(tries = 8, seed = SEED)
    void softmax(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll boolean coerced, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 4);
        // before opset 13 the input is flattened to 2-D at axis (which may equal the rank)
        long axis = coerced ? r.nextInt(rank + 1) : r.nextInt(2 * rank) - rank;
        for (String op : List.of("Softmax", "LogSoftmax")) {
            both(op + (coerced ? " (opset 11)" : ""), Net.node(op).in("x", randn(r, 2, s)).attr("axis", axis)
                    .opset(coerced ? 11 : 13), seed);
        }
    }

    @Property(tries = 8, seed = SEED)
    void reductions(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll boolean keepdims,
                    @ForAll boolean axesAsInput, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        long[] axes = randomAxes(r, rank);
        for (String op : List.of("ReduceMean", "ReduceSum", "ReduceMax")) {
            // axes moved from attribute to input in opset 13 (ReduceSum) and 18 (the others)
            long opset = axesAsInput || op.equals("ReduceSum") ? 18 : 13;
            Net net = Net.node(op).in("x", op.equals("ReduceMax") ? distinct(r, s) : randn(r, s)).opset(opset)
                    .attr("keepdims", keepdims ? 1 : 0);
            if (axes.length > 0) {
                if (opset == 18) net.param("axes", NdArray.ofLongs(axes, axes.length));
                else net.attr("axes", axes);
            }
            passthrough(op, net, seed);
        }
    }

    // ================================================================ moving and picking elements

    @Property(tries = 6, seed = SEED)
    void concat(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 2, max = 3) int parts,
                @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        int axis = r.nextInt(rank);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < parts; i++) names.add("x" + i);
        Net net = Net.graph(new Node("cat", "Concat", names, List.of("y"), attrs("axis", (long) (r.nextBoolean() ? axis : axis - rank))));
        for (int i = 0; i < parts; i++) {
            long[] p = s.clone();
            p[axis] = 1 + r.nextInt(3);
            // the first part is a graph input, the others are parameters
            if (i == 0) net.feed("x0", randn(r, p));
            else net.constant("x" + i, randn(r, p));
        }
        passthrough("Concat", net.output("y"), seed);
    }

    @Property(tries = 8, seed = SEED)
    void split(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 2, max = 3) int outputs,
               @ForAll @IntRange(min = 0, max = 2) int form, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 2);
        int axis = r.nextInt(rank);
        List<String> ins = new ArrayList<>(List.of("x"));
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add("y" + i);
        Attributes at = attrs("axis", (long) axis);
        long opset = 13;
        NdArray sizes = null;
        switch (form) {
            case 1 -> { // explicit sizes, which may be 0
                s[axis] = outputs + r.nextInt(3);
                long[] sz = randomParts(r, s[axis], outputs);
                sizes = NdArray.ofLongs(sz, sz.length);
                ins.add("split");
            }
            case 2 -> { // num_outputs: the last part is smaller when the axis does not divide
                s[axis] = outputs + r.nextInt(outputs);
                at = at.with("num_outputs", new Attr.Int(outputs));
                opset = 18;
            }
            default -> s[axis] = outputs * (1 + r.nextInt(2));
        }
        Net net = Net.graph(new Node("split", "Split", ins, outs, at)).opset(opset).feed("x", randn(r, s));
        if (sizes != null) net.constant("split", sizes);
        for (String o : outs) net.output(o);
        passthrough("Split", net, seed);
    }

    @Property(tries = 8, seed = SEED)
    void slice(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll boolean withAxes, @ForAll boolean withSteps,
               @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 5);
        int k = withAxes ? 1 + r.nextInt(rank) : rank;
        long[] axes = withAxes ? permutation(r, rank) : null;
        long[] starts = new long[k];
        long[] ends = new long[k];
        long[] steps = new long[k];
        for (int i = 0; i < k; i++) {
            long d = s[axes == null ? i : (int) axes[i]];
            steps[i] = withSteps ? (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(2)) : 1;
            // starts and ends anywhere in [−d−2, d+2] (clamped), redrawn until the slice is not empty
            do {
                starts[i] = r.nextInt((int) (2 * d + 5)) - d - 2;
                ends[i] = r.nextInt((int) (2 * d + 5)) - d - 2;
            } while (sliceLength(starts[i], ends[i], steps[i], d) == 0);
        }
        Net net = Net.node("Slice").in("x", randn(r, s)).opset(13).param("starts", longs(starts)).param("ends", longs(ends));
        if (axes != null) net.param("axes", longs(Arrays.copyOf(axes, k)));
        else if (withSteps) net.skip();
        if (withSteps) net.param("steps", longs(steps));
        passthrough("Slice", net, seed);
    }

    @Property(tries = 8, seed = SEED)
    void gather(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 0, max = 2) int indexRank,
                @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        int axis = r.nextInt(rank);
        long[] is = shape(r, indexRank, indexRank, 3);
        long[] idx = new long[(int) NdArray.count(is)];
        // repeats and negative indices: gradients of repeated picks must add up
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt((int) (2 * s[axis])) - s[axis];
        passthrough("Gather", Net.node("Gather").in("x", randn(r, s)).param("indices", NdArray.ofLongs(idx, is))
                .attr("axis", r.nextBoolean() ? axis : axis - rank), seed);
    }

    @Property(tries = 6, seed = SEED)
    void reshaping(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        long count = NdArray.count(s);
        int flattenAxis = r.nextInt(rank + 1);
        passthrough("Flatten", Net.node("Flatten").in("x", randn(r, s)).attr("axis", r.nextBoolean() ? flattenAxis : flattenAxis - rank), seed);
        long[] target = switch (r.nextInt(4)) {
            case 1 -> dims(0, -1);
            case 2 -> dims(-1);
            case 3 -> dims(1, count);
            default -> reversed(s);
        };
        passthrough("Reshape", Net.node("Reshape").in("x", randn(r, s)).param("shape", longs(target)), seed);
        long[] perm = permutation(r, rank);
        Net transpose = Net.node("Transpose").in("x", randn(r, s));
        passthrough("Transpose", r.nextBoolean() ? transpose.attr("perm", perm) : transpose, seed);
        passthrough("Identity", Net.node("Identity").in("x", randn(r, s)), seed);
        passthrough("Dropout", Net.node("Dropout").in("x", randn(r, s)).param("ratio", scalar(0.3)).fixed("ratio").opset(13), seed);
        passthrough("Dropout (opset 7)", Net.node("Dropout").in("x", randn(r, s)).attr("ratio", 0.4).opset(7), seed);
    }

    @Property(tries = 6, seed = SEED)
    void squeezeUnsqueezeExpand(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = ones(r, shape(r, rank, rank, 3));
        long[] unit = IntStream.range(0, rank).filter(i -> s[i] == 1).asLongStream().toArray();
        Net squeeze = Net.node("Squeeze").in("x", randn(r, s)).opset(13);
        if (unit.length > 0 && r.nextBoolean()) squeeze.param("axes", longs(unit[r.nextInt(unit.length)] - (r.nextBoolean() ? rank : 0)));
        passthrough("Squeeze", squeeze, seed);
        int added = 1 + r.nextInt(2);
        long[] insert = Arrays.copyOf(permutation(r, rank + added), added);
        for (int i = 0; i < added; i++) if (r.nextBoolean()) insert[i] -= rank + added;
        passthrough("Unsqueeze", Net.node("Unsqueeze").in("x", randn(r, s)).param("axes", longs(insert)).opset(13), seed);
        long[] target = new long[rank + r.nextInt(2)];
        for (int i = 0; i < target.length; i++) {
            int j = i - (target.length - rank);
            target[i] = j < 0 ? 1 + r.nextInt(3) : s[j] == 1 ? 1 + r.nextInt(3) : (r.nextBoolean() ? s[j] : 1);
        }
        passthrough("Expand", Net.node("Expand").in("x", randn(r, s)).param("shape", longs(target)), seed);
    }

    /** Every mode on each try, optionally on a subset of axes (opset 18+). */
    @Property(tries = 8, seed = SEED)
    void pad(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll boolean withAxes, @ForAll long seed) {
        Random r = new Random(seed);
        for (String mode : List.of("constant", "reflect", "edge", "wrap")) pad(r, mode, rank, withAxes, seed);
    }

    private static void pad(Random r, String mode, int rank, boolean withAxes, long seed) {
        long[] s = shape(r, rank, rank, 4);
        for (int i = 0; i < rank; i++) s[i] = Math.max(s[i], 2);
        long[] axes = withAxes ? permutation(r, rank) : null;
        int k = axes == null ? rank : 1 + r.nextInt(rank);
        long[] pads = new long[2 * k];
        for (int i = 0; i < 2 * k; i++) {
            long d = s[axes == null ? i % k : (int) axes[i % k]];
            // reflect needs pads below the length; constant padding may also crop (negative pads)
            pads[i] = switch (mode) {
                case "reflect" -> r.nextInt((int) d);
                case "constant" -> r.nextInt(3) - (r.nextBoolean() ? (d - 1) / 2 : 0);
                default -> r.nextInt(3);
            };
        }
        Net net = Net.node("Pad").in("x", randn(r, s)).attr("mode", mode).opset(19).param("pads", longs(pads));
        if (mode.equals("constant")) net.param("value", scalar(r.nextGaussian())).fixed("value");
        else net.skip();
        if (axes != null) net.param("axes", longs(Arrays.copyOf(axes, k)));
        passthrough("Pad (" + mode + ")", net, seed);
    }

    /** Every coordinate mode on each try; output by scales or by sizes. */
    @Property(tries = 8, seed = SEED)
    void resizeLinear(@ForAll boolean bySizes, @ForAll boolean rank2, @ForAll long seed) {
        Random r = new Random(seed);
        for (String mode : List.of("half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel")) {
            resizeLinear(r, mode, bySizes, rank2, seed);
        }
    }

    private static void resizeLinear(Random r, String mode, boolean bySizes, boolean rank2, long seed) {
        long[] s = rank2 ? dims(2 + r.nextInt(3), 2 + r.nextInt(3)) : dims(1 + r.nextInt(2), 1 + r.nextInt(2), 2 + r.nextInt(3), 2 + r.nextInt(3));
        int rank = s.length;
        Net net = Net.node("Resize").in("x", randn(r, s)).attr("mode", "linear")
                .attr("coordinate_transformation_mode", mode).opset(13).skip();
        if (bySizes) {
            long[] sizes = s.clone();
            for (int i = rank - 2; i < rank; i++) sizes[i] = 1 + r.nextInt(6);
            net.skip().param("sizes", longs(sizes));
        } else {
            float[] scales = new float[rank];
            Arrays.fill(scales, 1f);
            float[] choices = {0.5f, 0.75f, 1.5f, 2f, 2.5f, 3f};
            for (int i = rank - 2; i < rank; i++) scales[i] = choices[r.nextInt(choices.length)];
            net.param("scales", NdArray.ofFloats(scales, rank)).fixed("scales");
        }
        passthrough("Resize (linear, " + mode + ")", net, seed);
    }

    // ================================================================ elementwise, reduction and indexing ops (issue 14)

    /** Variadic Max/Min (distinct values, so no ties), Sum and Mean over one to three broadcast inputs. */
    @Property(tries = 6, seed = SEED)
    void variadic(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 1, max = 3) int inputs,
                  @ForAll long seed) {
        Random r = new Random(seed);
        long[] full = shape(r, rank, rank, 3);
        for (String op : List.of("Max", "Min", "Sum", "Mean")) {
            // one ladder cut into the inputs keeps every element distinct across them
            NdArray ladder = distinct(r, dims(inputs, NdArray.count(full)));
            Net net = Net.node(op);
            for (int i = 0; i < inputs; i++) {
                long[] s = i == 0 ? full : ones(r, full);
                NdArray part = NdArray.ofDoubles(Arrays.copyOfRange(ladder.toDoubleArray(), i * (int) NdArray.count(full),
                        i * (int) NdArray.count(full) + (int) NdArray.count(s)), s);
                if (i == 0) net.in("x" + i, part);
                else net.param("x" + i, part);
            }
            passthrough(op, net, seed); // piecewise linear or linear: second order through squared outputs
        }
    }

    @Property(tries = 6, seed = SEED)
    void trigonometric(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        for (String op : List.of("Tan", "Asin", "Acos", "Atanh")) both(op, Net.node(op).in("x", uniform(r, -0.8, 0.8, s)), seed);
        for (String op : List.of("Atan", "Sinh", "Cosh", "Asinh")) both(op, Net.node(op).in("x", randn(r, s)), seed);
        both("Acosh", Net.node("Acosh").in("x", uniform(r, 1.2, 3, s)), seed);
    }

    /** Celu; Shrink and ThresholdedRelu away from their jumps. */
    @Property(tries = 6, seed = SEED)
    void frozenActivations(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        both("Celu", Net.node("Celu").in("x", awayFrom(r, 2, s, 0)).attr("alpha", 0.5 + r.nextDouble()), seed);
        passthrough("Shrink", Net.node("Shrink").in("x", awayFrom(r, 2, s, -0.5, 0.5)).attr("bias", 0.25), seed);
        passthrough("ThresholdedRelu", Net.node("ThresholdedRelu").in("x", awayFrom(r, 2, s, 1)), seed);
    }

    /** Where in both branches, with a random broadcast condition. */
    @Property(tries = 6, seed = SEED)
    void where(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        long[] cs = ones(r, s);
        byte[] c = new byte[(int) NdArray.count(cs)];
        for (int i = 0; i < c.length; i++) c[i] = (byte) (r.nextBoolean() ? 1 : 0);
        Net net = Net.node("Where").param("c", NdArray.ofBytes(dev.orbit.tensor.DType.BOOL, cs, c)).in("x", randn(r, s))
                .param("other", randn(r, ones(r, s))).fixed("c");
        passthrough("Where", net, seed);
    }

    @Property(tries = 8, seed = SEED)
    void moreReductions(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll boolean keepdims, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        long[] axes = randomAxes(r, rank);
        for (String op : List.of("ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceProd", "ReduceSumSquare")) {
            NdArray x = switch (op) {
                case "ReduceL1" -> awayFrom(r, 1, s, 0);
                case "ReduceLogSum" -> uniform(r, 0.5, 2, s);
                case "ReduceProd" -> signedUniform(r, 0.5, 1.5, s);
                default -> randn(r, s);
            };
            Net net = Net.node(op).in("x", x).opset(13).attr("keepdims", keepdims ? 1 : 0);
            if (axes.length > 0) net.attr("axes", axes);
            if (op.equals("ReduceL1")) passthrough(op, net, seed);
            else both(op, net, seed);
        }
        int axis = r.nextInt(rank);
        passthrough("CumSum", Net.node("CumSum").in("x", randn(r, s)).param("axis", longs(axis - (r.nextBoolean() ? rank : 0)))
                .attr("exclusive", r.nextInt(2)).attr("reverse", r.nextInt(2)), seed);
    }

    /** GatherElements and ScatterElements along a random axis (negative indices; unique targets for the scatter). */
    @Property(tries = 8, seed = SEED)
    void elementIndexing(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        int axis = r.nextInt(rank);
        long[] is = s.clone();
        is[axis] = 1 + r.nextInt(3);
        long[] idx = new long[(int) NdArray.count(is)];
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt((int) (2 * s[axis])) - s[axis];
        passthrough("GatherElements", Net.node("GatherElements").in("x", randn(r, s)).param("i", NdArray.ofLongs(idx, is))
                .attr("axis", axis), seed);
        // a scatter target must be unique per position: a permutation of the axis, cut to the update length
        long[] us = s.clone();
        us[axis] = 1 + r.nextInt((int) s[axis]);
        long[] target = new long[(int) NdArray.count(us)];
        long inner = 1;
        for (int a = axis + 1; a < rank; a++) inner *= us[a];
        long[] perm = permutation(r, (int) s[axis]);
        for (int i = 0; i < target.length; i++) target[i] = perm[(int) ((i / inner) % us[axis])];
        for (String reduction : List.of("none", "add")) {
            passthrough("ScatterElements (" + reduction + ")", Net.node("ScatterElements").in("x", randn(r, s))
                    .param("i", NdArray.ofLongs(target, us)).param("u", randn(r, us)).attr("axis", axis)
                    .attr("reduction", reduction).opset(16), seed);
        }
    }

    /** GatherND and ScatterND with k of the leading axes indexed (unique targets for the scatter). */
    @Property(tries = 8, seed = SEED)
    void ndIndexing(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = shape(r, rank, rank, 3);
        int k = 1 + r.nextInt(rank);
        long cells = 1;
        for (int i = 0; i < k; i++) cells *= s[i];
        int m = 1 + r.nextInt((int) cells);
        long[] order = permutation(r, (int) cells);
        long[] idx = new long[m * k];
        for (int j = 0; j < m; j++) {
            long c = order[j];
            for (int i = k - 1; i >= 0; i--) {
                idx[j * k + i] = c % s[i];
                c /= s[i];
            }
        }
        NdArray indices = NdArray.ofLongs(idx, m, k);
        passthrough("GatherND", Net.node("GatherND").in("x", randn(r, s)).param("i", indices), seed);
        long[] us = new long[1 + rank - k];
        us[0] = m;
        System.arraycopy(s, k, us, 1, rank - k);
        for (String reduction : List.of("none", "add", "mul")) {
            Net net = Net.node("ScatterND").in("x", randn(r, s)).param("i", indices).param("u", randn(r, us))
                    .attr("reduction", reduction).opset(16);
            if (reduction.equals("mul")) both("ScatterND (mul)", net, seed);
            else passthrough("ScatterND (" + reduction + ")", net, seed);
        }
    }

    @Property(tries = 6, seed = SEED)
    void layoutOps(@ForAll @IntRange(min = 1, max = 2) int block, @ForAll boolean crd, @ForAll long seed) {
        Random r = new Random(seed);
        long[] x = dims(1 + r.nextInt(2), block * block * (1 + r.nextInt(2)), block * (1 + r.nextInt(2)), block * (1 + r.nextInt(2)));
        passthrough("DepthToSpace", Net.node("DepthToSpace").in("x", randn(r, x)).attr("blocksize", block)
                .attr("mode", crd ? "CRD" : "DCR"), seed);
        passthrough("SpaceToDepth", Net.node("SpaceToDepth").in("x", randn(r, x)).attr("blocksize", block), seed);
        long[] reps = dims(1 + r.nextInt(2), 1 + r.nextInt(2), 1, 1 + r.nextInt(2));
        passthrough("Tile", Net.node("Tile").in("x", randn(r, x)).param("repeats", longs(reps)), seed);
        passthrough("Trilu", Net.node("Trilu").in("x", randn(r, x)).param("k", longs(r.nextInt(3) - 1)).attr("upper", r.nextInt(2)), seed);
    }

    /** TopK (distinct values), Compress, OneHot in its values, and Einsum contractions. */
    @Property(tries = 6, seed = SEED)
    void selectionAndContraction(@ForAll @IntRange(min = 2, max = 4) int n, @ForAll long seed) {
        Random r = new Random(seed);
        long[] s = dims(2, n);
        passthrough("TopK", Net.node("TopK").in("x", distinct(r, s)).param("k", longs(1 + r.nextInt(n)))
                .attr("largest", r.nextInt(2)), seed);
        byte[] keep = new byte[n];
        for (int i = 0; i < n; i++) keep[i] = (byte) (r.nextBoolean() || i == 0 ? 1 : 0);
        passthrough("Compress", Net.node("Compress").in("x", randn(r, s))
                .param("c", NdArray.ofBytes(dev.orbit.tensor.DType.BOOL, dims(n), keep)).attr("axis", 1).fixed("c"), seed);
        passthrough("OneHot", Net.node("OneHot").param("i", longs(0, n - 1, -1, 2 * n)).param("depth", longs(n))
                .in("values", randn(r, 2)).fixed("i", "depth"), seed);
        both("Einsum (matmul)", Net.node("Einsum").in("a", randn(r, 2, n, 3)).param("b", randn(r, 2, 3, n))
                .attr("equation", "bij,bjk->bik"), seed);
        both("Einsum (trace, implicit output)", Net.node("Einsum").in("a", randn(r, n, n)).param("b", randn(r, n))
                .attr("equation", "ii,i"), seed);
    }

    // ================================================================ teleported activations

    /** Orbit's rewrite: Mul(x, 1/τ) → Tanh → Mul(·, τ), the two constants as separate parameters. */
    @Property(tries = 6, seed = SEED)
    void teleportedTanhConstants(@ForAll boolean spatial, @ForAll long seed) {
        Random r = new Random(seed);
        long c = 2 + r.nextInt(3);
        long[] x = spatial ? dims(2, c, 3) : dims(3, c);
        double[] tau = taus(r, (int) c);
        long[] ts = spatial ? dims(c, 1) : dims(c);
        Net net = Net.graph(
                new Node("orbit_tp_in_0", "Mul", "", List.of("x", "tin"), List.of("s"), Attributes.NONE, Node.REWRITE_IN),
                new Node("act", "Tanh", List.of("s"), List.of("t"), Attributes.NONE),
                new Node("orbit_tp_out_0", "Mul", "", List.of("t", "tout"), List.of("y"), Attributes.NONE, Node.REWRITE_OUT))
                .output("y").feed("x", randn(r, 2, x))
                .constant("tin", NdArray.ofDoubles(Arrays.stream(tau).map(t -> 1 / t).toArray(), ts))
                .constant("tout", NdArray.ofDoubles(tau, ts));
        both("teleported Tanh (constants)", net, seed);
    }

    /** τ as a differentiable input between two linear layers: y = (τ ⊙ tanh((x·W1ᵀ + b1) ⊙ 1/τ))·W2. */
    @Property(tries = 6, seed = SEED)
    void teleportedTanhTau(@ForAll long seed) {
        Random r = new Random(seed);
        long n = 1 + r.nextInt(3);
        long f = 1 + r.nextInt(3);
        long c = 2 + r.nextInt(3);
        long k = 1 + r.nextInt(3);
        Net net = Net.graph(
                new Node("fc1", "Gemm", List.of("x", "W1", "b1"), List.of("h"), attrs("transB", 1L)),
                new Node("inv", "Reciprocal", List.of("tau"), List.of("rt"), Attributes.NONE),
                new Node("in", "Mul", List.of("h", "rt"), List.of("s"), Attributes.NONE),
                new Node("act", "Tanh", List.of("s"), List.of("t"), Attributes.NONE),
                new Node("out", "Mul", List.of("t", "tau"), List.of("u"), Attributes.NONE),
                new Node("fc2", "MatMul", List.of("u", "W2"), List.of("y"), Attributes.NONE))
                .output("y").feed("x", randn(r, n, f)).feed("tau", NdArray.ofDoubles(taus(r, (int) c), c))
                .constant("W1", randn(r, c, f)).constant("b1", randn(r, c)).constant("W2", randn(r, c, k));
        both("teleported Tanh (τ input)", net, seed);
    }

    // ================================================================ recurrent layers

    /**
     * RNN, GRU (reset before and after the recurrence) and LSTM with peepholes, in the direction of the try, with
     * biases and initial states: gradients flow through every step of the recurrence into W, R, B and X.
     */
    @Property(tries = 4, seed = SEED)
    void recurrent(@ForAll @IntRange(min = 0, max = 2) int direction, @ForAll boolean initialStates, @ForAll long seed) {
        Random r = new Random(seed);
        String dir = List.of("forward", "reverse", "bidirectional").get(direction);
        long nd = direction == 2 ? 2 : 1;
        long seq = 3;
        long batch = 2;
        long in = 3;
        long h = 2;
        for (String variant : List.of("RNN", "GRU", "GRU (linear_before_reset)", "LSTM")) {
            String op = variant.split(" ")[0];
            long g = op.equals("RNN") ? 1 : op.equals("GRU") ? 3 : 4;
            Net net = Net.node(op).in("X", randn(r, seq, batch, in)).param("W", randn(r, 0.5, nd, g * h, in))
                    .param("R", randn(r, 0.5, nd, g * h, h)).param("B", randn(r, 0.5, nd, 2 * g * h));
            if (initialStates || op.equals("LSTM")) {
                net.skip().param("initial_h", randn(r, 0.5, nd, batch, h));
                if (op.equals("LSTM")) net.param("initial_c", randn(r, 0.5, nd, batch, h)).param("P", randn(r, 0.5, nd, 3 * h));
            }
            net.attr("hidden_size", h).attr("direction", dir);
            if (variant.contains("linear_before_reset")) net.attr("linear_before_reset", 1L);
            both(variant, net, seed);
        }
    }

    // ================================================================ losses

    /**
     * NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss over [N, C] or [N, C, d]: each reduction, with and
     * without class weights and an ignore_index that some targets hit; gradients into the scores and the weights.
     * NLL is linear in its input, so its second-order checks run on squared outputs.
     */
    @Property(tries = 6, seed = SEED)
    void classLosses(@ForAll @IntRange(min = 0, max = 2) int reduction, @ForAll boolean weighted, @ForAll boolean ignoring,
                     @ForAll boolean spatial, @ForAll long seed) {
        Random r = new Random(seed);
        long n = 3;
        long c = 4;
        long[] x = spatial ? dims(n, c, 2) : dims(n, c);
        long[] t = spatial ? dims(n, 2) : dims(n);
        long[] target = new long[(int) NdArray.count(t)];
        for (int i = 0; i < target.length; i++) target[i] = r.nextInt((int) c);
        target[0] = 1; // the ignored class is hit at least once, and not by every target
        target[target.length - 1] = 2;
        String mode = List.of("none", "sum", "mean").get(reduction);
        for (String op : List.of("NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss")) {
            Net net = Net.node(op).in("x", randn(r, x)).param("target", NdArray.ofLongs(target, t));
            if (weighted) net.param("weight", uniform(r, 0.5, 1.5, c));
            net.attr("reduction", mode).opset(13);
            if (ignoring) net.attr("ignore_index", 1L);
            String label = op + " (" + mode + (weighted ? ", weighted" : "") + (ignoring ? ", ignore_index" : "") + ")";
            if (op.startsWith("Negative")) passthrough(label, net, seed);
            else both(label, net, seed);
        }
    }

    // ================================================================ the rest of the conformance suite's differentiable ops

    /** Det of a batch of well-conditioned matrices (identity plus noise); MVN and LRN over an NCHW tensor. */
    @Property(tries = 4, seed = SEED)
    void detMvnLrn(@ForAll @IntRange(min = 2, max = 3) int n, @ForAll @IntRange(min = 1, max = 5) int size, @ForAll long seed) {
        Random r = new Random(seed);
        double[] m = randn(r, 0.3, 2, n, n).toDoubleArray();
        for (int b = 0; b < 2; b++) for (int i = 0; i < n; i++) m[b * n * n + i * n + i] += 1;
        both("Det", Net.node("Det").in("x", NdArray.ofDoubles(m, 2, n, n)), seed);
        both("MeanVarianceNormalization", Net.node("MeanVarianceNormalization").in("x", randn(r, 2, 3, 2, 2)), seed);
        both("LRN", Net.node("LRN").in("x", randn(r, 2, 4, 2, 2)).attr("size", (long) size).attr("alpha", 0.1)
                .attr("beta", 0.75).attr("bias", 1.0), seed);
    }

    /**
     * GridSample is linear in X for a fixed grid (bilinear and bicubic weights), with every padding mode. First order
     * only: libtorch has no derivative of grid_sampler_2d_backward, so H·v and ∇‖∇L‖² through GridSample throw
     * ("derivative for aten::grid_sampler_2d_backward is not implemented"); see the disabled property below.
     */
    @Property(tries = 4, seed = SEED)
    void gridSample(@ForAll @IntRange(min = 0, max = 1) int mode, @ForAll @IntRange(min = 0, max = 2) int padding,
                    @ForAll boolean alignCorners, @ForAll long seed) {
        Random r = new Random(seed);
        Net net = Net.node("GridSample").in("x", randn(r, 1, 2, 3, 4)).param("grid", uniform(r, -1.1, 1.1, 1, 2, 3, 2))
                .opset(16).attr("mode", List.of("bilinear", "bicubic").get(mode))
                .attr("padding_mode", List.of("zeros", "border", "reflection").get(padding))
                .attr("align_corners", alignCorners ? 1L : 0L).fixed("grid");
        GradientCheck.Result g = net.grad(seed).checkGradient();
        WORST.merge("GridSample (" + List.of("bilinear", "bicubic").get(mode) + ", first order)", new double[] {g.err(), Double.NaN, Double.NaN},
                (a, b) -> new double[] {Math.max(a[0], b[0]), Double.NaN, Double.NaN});
    }

    @Disabled("GridSample: libtorch implements no derivative of grid_sampler_2d_backward, so second-order checks "
            + "(H·v, ∇‖∇L‖²) through it throw; a gradient-guided move through a GridSample would fail the same way")
    @Property(tries = 2, seed = SEED)
    void gridSampleSecondOrder(@ForAll long seed) {
        Random r = new Random(seed);
        Net net = Net.node("GridSample").in("x", randn(r, 1, 2, 3, 4)).param("grid", uniform(r, -1.1, 1.1, 1, 2, 3, 2))
                .opset(16).fixed("grid");
        passthrough("GridSample (second order)", net, seed);
    }

    // ================================================================ gaps found by these checks (fixed, or disabled with the reason)

    /** ONNX Clip's min and max are tensors (here differentiable initializers), so ∂y/∂min = [x < min]. */
    @Property(tries = 3, seed = SEED)
    void clipBounds(@ForAll long seed) {
        Random r = new Random(seed);
        Net net = Net.node("Clip").in("x", awayFrom(r, 1.5, shape(r, 1, 3, 4), -0.5, 0.5))
                .param("min", scalar(-0.5)).param("max", scalar(0.5));
        both("Clip (bounds)", net, seed);
    }

    /** The constant_value of Pad is a tensor input: ∂y/∂value = 1 at every padded position. */
    @Property(tries = 3, seed = SEED)
    void padConstantValue(@ForAll long seed) {
        Random r = new Random(seed);
        Net net = Net.node("Pad").in("x", randn(r, 2, 3)).opset(19).param("pads", longs(1, 0, 0, 1))
                .param("value", scalar(r.nextGaussian()));
        both("Pad (constant value)", net, seed);
    }

    /** A loss that reads LayerNormalization's Mean and InvStdDev outputs. */
    @Disabled("LayerNormalization: gradients through the Mean and InvStdDev outputs are dropped (libtorch's "
            + "native_layer_norm backward reads only the Y gradient), so ∂L/∂X is wrong when a graph uses them")
    @Property(tries = 3, seed = SEED)
    void layerNormalizationStatistics(@ForAll long seed) {
        Random r = new Random(seed);
        Node n = new Node("ln", "LayerNormalization", List.of("X", "scale", "B"), List.of("y", "mean", "istd"),
                attrs("axis", -1L));
        Net net = Net.graph(n).output("y").output("mean").output("istd").opset(17).feed("X", randn(r, 3, 4))
                .constant("scale", randn(r, 4)).constant("B", randn(r, 4));
        both("LayerNormalization (statistics)", net, seed);
    }

    /** Inference BatchNormalization is differentiable in input_mean and input_var too. */
    @Disabled("BatchNormalization (inference): libtorch's batch_norm throws 'not differentiable with respect to "
            + "argument running_mean' when input_mean/input_var require grad (TrainableModel keeps them as state)")
    @Property(tries = 3, seed = SEED)
    void batchNormalizationRunningStatistics(@ForAll long seed) {
        Random r = new Random(seed);
        both("BatchNormalization (running statistics)", batchNorm(Net.node("BatchNormalization"), r, dims(2, 3, 2)), seed);
    }

    /** A loss linear in its inputs has H = 0: H·v should be zeros. */
    @Property(tries = 3, seed = SEED)
    void hessianOfLinearLoss(@ForAll long seed) {
        Random r = new Random(seed);
        both("Add (linear loss)", Net.node("Add").in("a", randn(r, 3)).param("b", randn(r, 3)), seed);
    }

    // ================================================================ running the checks

    /** First- and second-order checks on the plain loss. */
    private static void both(String op, Net net, long seed) {
        GradientCheck c = net.grad(seed);
        record(op, c.checkGradient(), c.checkHessianVector(), c.checkGradNormGradient());
    }

    /** First order on the plain loss; second order with squared outputs, the op's own Hessian being zero. */
    private static void passthrough(String op, Net net, long seed) {
        GradientCheck squared = net.grad(seed).withSquares();
        record(op, net.grad(seed).checkGradient(), squared.checkHessianVector(), squared.checkGradNormGradient());
    }

    private static void record(String op, GradientCheck.Result... results) {
        double[] errs = Arrays.stream(results).mapToDouble(GradientCheck.Result::err).toArray();
        WORST.merge(op, errs, (a, b) -> new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])});
    }

    @AfterContainer
    static void printWorstErrors() {
        StringBuilder sb = new StringBuilder("worst errors: gradient (≤ 1e-6), H·v and ∇‖∇L‖² (≤ 1e-5)\n");
        new TreeMap<>(WORST).forEach((op, e) -> sb.append(String.format("  %-36s %.1e  %.1e  %.1e%n", op, e[0], e[1], e[2])));
        System.out.print(sb);
    }

    // ================================================================ model building

    /** A float64 model under construction (through OpCheck) together with its feeds. */
    static final class Net {
        private final OpCheck spec;
        private final Map<String, NdArray> feeds = new LinkedHashMap<>();
        private final List<String> fixed = new ArrayList<>();

        private Net(OpCheck spec) { this.spec = spec; }

        static Net node(String op) { return new Net(OpCheck.node(op)); }

        static Net graph(Node... nodes) { return new Net(OpCheck.graph(nodes)); }

        /** A graph input wired as the node's next input. */
        Net in(String name, NdArray v) { feeds.put(name, v); spec.input(name, v); return this; }

        /** A parameter wired as the node's next input. */
        Net param(String name, NdArray v) { spec.param(name, v); return this; }

        Net skip() { spec.skipInput(); return this; }

        /** A graph input, not wired (multi-node graphs). */
        Net feed(String name, NdArray v) { feeds.put(name, v); spec.feed(name, v); return this; }

        /** A parameter, not wired (multi-node graphs). */
        Net constant(String name, NdArray v) { spec.constant(name, v); return this; }

        Net output(String name) { spec.output(name); return this; }

        Net opset(long v) { spec.opset(v); return this; }

        Net attr(String name, long v) { spec.attr(name, v); return this; }

        Net attr(String name, double v) { spec.attr(name, (float) v); return this; }

        Net attr(String name, String v) { spec.attr(name, v); return this; }

        Net attr(String name, long... v) { spec.attr(name, v); return this; }

        /** Values not to differentiate. */
        Net fixed(String... names) { fixed.addAll(List.of(names)); return this; }

        GradientCheck grad(long seed) {
            return new GradientCheck(spec.model(), feeds, seed).constant(fixed.toArray(String[]::new));
        }
    }

    private static Attributes attrs(Object... kv) {
        Attributes a = Attributes.NONE;
        for (int i = 0; i < kv.length; i += 2) {
            Attr v = switch (kv[i + 1]) {
                case Long l -> new Attr.Int(l);
                case Integer n -> new Attr.Int(n);
                case Double d -> new Attr.Float(d.floatValue());
                case String s -> new Attr.Str(s);
                case long[] l -> new Attr.Ints(l);
                default -> throw new IllegalArgumentException(String.valueOf(kv[i + 1]));
            };
            a = a.with((String) kv[i], v);
        }
        return a;
    }

    private static Net batchNorm(Net net, Random r, long[] x) {
        return net.in("X", randn(r, x)).param("scale", randn(r, x[1])).param("B", randn(r, x[1]))
                .param("mean", randn(r, x[1])).param("var", uniform(r, 0.5, 2, x[1]));
    }

    private static void addBatchNormParams(Net net, Random r, long c) {
        net.constant("scale", randn(r, c)).constant("B", randn(r, c)).constant("mean", randn(r, c))
                .constant("var", uniform(r, 0.5, 2, c));
    }

    /** N×C×… with at least 4 values per channel, so batch variances stay well away from 0. */
    private static long[] batchStatShape(Random r, int rank) {
        long[] x = shape(r, rank, rank, 3);
        x[0] = Math.max(x[0], 2);
        if (NdArray.count(x) / x[1] < 4) x[0] = 4;
        return x;
    }

    /** {groups, input channels, output channels}: plain (0), depthwise (1) or two groups (2). */
    private static long[] groups(Random r, int grouping) {
        return switch (grouping) {
            case 1 -> {
                long c = 1 + r.nextInt(3);
                yield new long[] {c, c, c * (1 + r.nextInt(2))};
            }
            case 2 -> new long[] {2, 2 * (1 + r.nextInt(2)), 2 * (1 + r.nextInt(2))};
            default -> new long[] {1, 1 + r.nextInt(3), 1 + r.nextInt(3)};
        };
    }

    private static long[] poolInput(Random r, int spatial, int dilation) {
        long[] x = new long[spatial + 2];
        x[0] = 1 + r.nextInt(2);
        x[1] = 1 + r.nextInt(2);
        for (int i = 0; i < spatial; i++) x[i + 2] = 2 * dilation + 1 + r.nextInt(4);
        return x;
    }

    /** kernel 2 or 3 per axis, strides, and optionally pads below half the kernel (so no window is all pad). */
    private static Net poolWindows(Net net, Random r, int spatial, int stride, boolean padded, boolean ceil) {
        long[] kernel = new long[spatial];
        for (int i = 0; i < spatial; i++) kernel[i] = 2 + r.nextInt(2);
        net.attr("kernel_shape", kernel).attr("strides", fill(spatial, stride)).attr("ceil_mode", ceil ? 1 : 0);
        if (padded) {
            long[] pads = new long[2 * spatial];
            for (int i = 0; i < pads.length; i++) pads[i] = r.nextInt((int) (kernel[i % spatial] / 2 + 1));
            net.attr("pads", pads);
        }
        return net;
    }

    private static long[] symmetricPads(Random r, long[] kernel) {
        int n = kernel.length;
        long[] p = new long[2 * n];
        for (int i = 0; i < n; i++) p[i] = p[i + n] = r.nextInt((int) kernel[i]);
        return p;
    }

    private static long[] randomPads(Random r, long[] kernel) {
        int n = kernel.length;
        long[] p = new long[2 * n];
        for (int i = 0; i < 2 * n; i++) p[i] = r.nextInt((int) kernel[i % n]);
        return p;
    }

    /** Per-channel factors of magnitude 0.3…3 and random sign, the first one negative. */
    private static double[] taus(Random r, int c) {
        double[] t = new double[c];
        for (int i = 0; i < c; i++) t[i] = (i == 0 || r.nextBoolean() ? -1 : 1) * Math.exp(r.nextDouble() * Math.log(10) - Math.log(10) / 2);
        return t;
    }

    private static long sliceLength(long start, long end, long step, long d) {
        if (start < 0) start += d;
        if (end < 0) end += d;
        if (step > 0) {
            start = Math.clamp(start, 0, d);
            end = Math.clamp(end, 0, d);
            return end > start ? Math.ceilDiv(end - start, step) : 0;
        }
        start = Math.clamp(start, 0, d - 1);
        end = Math.clamp(end, -1, d - 1);
        return start > end ? Math.ceilDiv(start - end, -step) : 0;
    }

    // ================================================================ data

    static long[] dims(long... d) { return d; }

    private static NdArray longs(long... v) { return NdArray.ofLongs(v, v.length); }

    private static NdArray scalar(double v) { return NdArray.ofDoubles(new double[] {v}); }

    private static long[] cat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static long[] fill(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    private static double[] filled(long n, double v) {
        double[] a = new double[Math.toIntExact(n)];
        Arrays.fill(a, v);
        return a;
    }

    private static long[] reversed(long[] s) {
        long[] t = new long[s.length];
        for (int i = 0; i < s.length; i++) t[i] = s[s.length - 1 - i];
        return t;
    }

    /** A random shape of rank in [minRank, maxRank] with dimensions 1…maxDim. */
    private static long[] shape(Random r, int minRank, int maxRank, int maxDim) {
        long[] s = new long[minRank + r.nextInt(maxRank - minRank + 1)];
        for (int i = 0; i < s.length; i++) s[i] = 1 + r.nextInt(maxDim);
        return s;
    }

    /** The shape with some dimensions set to 1 (a broadcasting partner). */
    private static long[] ones(Random r, long[] s) {
        long[] t = s.clone();
        for (int i = 0; i < t.length; i++) if (r.nextBoolean()) t[i] = 1;
        return t;
    }

    private static long[] permutation(Random r, int n) {
        List<Long> p = new ArrayList<>();
        for (long i = 0; i < n; i++) p.add(i);
        Collections.shuffle(p, r);
        return p.stream().mapToLong(Long::longValue).toArray();
    }

    /** A random subset of the axes, some written negative. */
    private static long[] randomAxes(Random r, int rank) {
        return IntStream.range(0, rank).filter(i -> r.nextBoolean())
                .mapToLong(i -> r.nextBoolean() ? i : i - rank).toArray();
    }

    /** n non-negative parts adding up to total. */
    private static long[] randomParts(Random r, long total, int n) {
        long[] p = new long[n];
        for (long i = 0; i < total; i++) p[r.nextInt(n)]++;
        return p;
    }

    static NdArray randn(Random r, long... shape) { return randn(r, 1, shape); }

    static NdArray randn(Random r, double scale, long... shape) {
        double[] v = new double[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = scale * r.nextGaussian();
        return NdArray.ofDoubles(v, shape);
    }

    static NdArray uniform(Random r, double lo, double hi, long... shape) {
        double[] v = new double[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return NdArray.ofDoubles(v, shape);
    }

    static NdArray signedUniform(Random r, double lo, double hi, long... shape) {
        double[] v = uniform(r, lo, hi, shape).toDoubleArray();
        for (int i = 0; i < v.length; i++) if (r.nextBoolean()) v[i] = -v[i];
        return NdArray.ofDoubles(v, shape);
    }

    /** Gaussian values (times scale), each at least MARGIN away from every kink. */
    static NdArray awayFrom(Random r, double scale, long[] shape, double... kinks) {
        double[] v = new double[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) {
            double x;
            do x = scale * r.nextGaussian();
            while (nearAny(x, kinks));
            v[i] = x;
        }
        return NdArray.ofDoubles(v, shape);
    }

    private static boolean nearAny(double x, double[] kinks) {
        for (double k : kinks) if (Math.abs(x - k) < MARGIN) return true;
        return false;
    }

    /** A shuffled ladder of values 0.1 apart: every window has a unique maximum. */
    static NdArray distinct(Random r, long... shape) {
        long[] order = permutation(r, Math.toIntExact(NdArray.count(shape)));
        double offset = r.nextGaussian();
        double[] v = new double[order.length];
        for (int i = 0; i < v.length; i++) v[i] = offset + 0.1 * (order[i] - v.length / 2.0);
        return NdArray.ofDoubles(v, shape);
    }
}
