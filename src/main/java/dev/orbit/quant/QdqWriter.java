package dev.orbit.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Writes a float model as standard QDQ ONNX, the form ONNX Runtime fuses into its integer kernels: each Conv and
 * MatMul weight becomes an integer initializer read through {@code DequantizeLinear} (signed, symmetric: int8 on
 * [−127, 127], int4 on [−7, 7]; per tensor, per output channel, or int4 in blocks of G input channels through
 * opset 21's {@code block_size}); each activation read or produced by a Conv/MatMul passes a
 * {@code QuantizeLinear → DequantizeLinear} pair (asymmetric uint8 or int8, range from calibration); a Conv bias
 * becomes int32 with scale s_x·s_w, as ONNX Runtime's QLinearConv wants. Gemm (transA = 0, α = β = 1) is first
 * written as MatMul + Add so that it fuses to QLinearMatMul. Rounding is half to even, as QuantizeLinear rounds.
 */
public final class QdqWriter {
    public enum Weights { INT8, INT4 }

    public enum Activations { UINT8, INT8, NONE }

    /** {@code group} &gt; 0: int4 blocks of that many input channels (blocked DequantizeLinear). */
    public record Options(Weights weights, boolean perChannel, int group, Activations activations, Calibration.Method calibrate,
                          boolean biasCorrection) {
        public Options {
            if (group < 0) throw new IllegalArgumentException("--group must be positive, got " + group);
            if (group > 0 && weights != Weights.INT4) throw new IllegalArgumentException("--group applies to int4 weights only");
        }

        public String describe() {
            return "weights " + weights.name().toLowerCase() + (group > 0 ? " g" + group : perChannel ? " per-channel" : " per-tensor")
                    + ", activations " + activations.name().toLowerCase() + (activations == Activations.NONE ? "" : " (" + calibrate.describe() + ")")
                    + (biasCorrection ? ", bias correction" : "");
        }
    }

    /** The quantized model; the float model it quantizes after bias correction (the float function that changed). */
    public record Result(Model quantized, Model corrected, int weights, int activations) {}

    private QdqWriter() {}

    /** The lowest opset this writer produces: per-axis quantization needs 13, int4 needs 21. */
    public static long opsetFor(Options o) { return o.weights() == Weights.INT4 ? 21 : 13; }

    /**
     * The opset where each op's meaning last changed before 22 (new inputs, attributes or defaults; type-only
     * revisions left out). Raising a model's opset to {@code target} is safe when every op either already is at
     * its last change or changes only after the target.
     */
    private static final Map<String, Integer> CHANGED = Map.ofEntries(
            Map.entry("Conv", 1), Map.entry("Gemm", 11), Map.entry("MatMul", 1), Map.entry("Add", 7), Map.entry("Sub", 7),
            Map.entry("Mul", 7), Map.entry("Div", 7), Map.entry("Relu", 6), Map.entry("LeakyRelu", 6), Map.entry("Sigmoid", 6),
            Map.entry("Tanh", 6), Map.entry("Max", 8), Map.entry("Min", 8), Map.entry("Clip", 11), Map.entry("MaxPool", 12),
            Map.entry("AveragePool", 19), Map.entry("GlobalAveragePool", 1), Map.entry("GlobalMaxPool", 1), Map.entry("Flatten", 11),
            Map.entry("Reshape", 14), Map.entry("BatchNormalization", 9), Map.entry("Softmax", 13), Map.entry("LogSoftmax", 13),
            Map.entry("Identity", 1), Map.entry("Transpose", 1), Map.entry("Concat", 11), Map.entry("Squeeze", 13),
            Map.entry("Unsqueeze", 13), Map.entry("Gather", 11), Map.entry("Shape", 15), Map.entry("Erf", 9), Map.entry("Sqrt", 6),
            Map.entry("Pow", 7), Map.entry("ReduceMean", 18), Map.entry("ReduceSum", 13), Map.entry("LayerNormalization", 17),
            Map.entry("QuantizeLinear", 13), Map.entry("DequantizeLinear", 13), Map.entry("Dropout", 12), Map.entry("Cast", 6),
            Map.entry("Slice", 10), Map.entry("Split", 18), Map.entry("Expand", 8), Map.entry("Where", 9), Map.entry("Neg", 6),
            Map.entry("Exp", 6), Map.entry("Log", 6), Map.entry("Gelu", 20), Map.entry("Constant", 12), Map.entry("Pad", 11));

    /** Refuses (with the first op that blocks it) when the model cannot be raised to {@code target} without a rewrite. */
    public static void checkOpset(Model m, long target) {
        long have = m.opset();
        if (have >= target) return;
        for (Node n : m.graph().nodes()) {
            if (!n.isStandardDomain()) continue;
            Integer changed = CHANGED.get(n.opType());
            if (changed == null) {
                throw new QuantizeException("the quantized model needs opset " + target + " (model: " + have + "), and Orbit does not know"
                        + " whether " + n.opType() + " keeps its meaning there; re-export the model at opset " + target);
            }
            if (changed > have && changed <= target) {
                throw new QuantizeException("the quantized model needs opset " + target + " (model: " + have + "), where " + n.opType()
                        + " changed its meaning (opset " + changed + "); re-export the model at opset " + target);
            }
        }
    }

    public static Result write(Model model, Options o, Map<String, NdArray> calibration) {
        Model m = gemmAsMatMul(model);
        Graph g = m.graph();
        List<Node> linears = new ArrayList<>();
        for (Node n : g.nodes()) if (isLinear(g, n)) linears.add(n);
        Set<String> outputs = new HashSet<>();
        for (ValueInfo v : g.outputs()) outputs.add(v.name());
        Set<String> acts = new LinkedHashSet<>();
        if (o.activations() != Activations.NONE) {
            for (Node n : linears) {
                acts.add(n.input(0));
                if (!outputs.contains(n.output(0))) acts.add(n.output(0));
            }
        }
        List<String> probe = new ArrayList<>(acts);
        if (o.biasCorrection()) for (Node n : linears) if (!probe.contains(n.input(0))) probe.add(n.input(0));
        Map<String, NdArray> calib = probe.isEmpty() ? Map.of() : Calibration.values(m, probe, calibration);

        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        Names names = new Names(g);
        List<Node> head = new ArrayList<>();
        Map<String, List<Node>> after = new HashMap<>(); // nodes inserted after the producer of a value
        Map<String, String> readAs = new HashMap<>();
        Map<String, double[]> actScale = new HashMap<>();
        for (String v : acts) {
            double[] r = Calibration.range(calib.get(v), o.calibrate());
            double[] sz = activationGrid(r, o.activations());
            actScale.put(v, sz);
            String scale = names.fresh(v + "_scale");
            String zp = names.fresh(v + "_zero_point");
            params.put(scale, NdArray.ofFloats(new float[] {(float) sz[0]}));
            DType zt = o.activations() == Activations.UINT8 ? DType.UINT8 : DType.INT8;
            params.put(zp, NdArray.ofBytes(zt, new long[0], new byte[] {(byte) (int) sz[1]}));
            String q = names.fresh(v + "_quantized");
            String dq = names.fresh(v + "_dequantized");
            List<Node> pair = List.of(new Node(names.fresh(v + "_QuantizeLinear"), "QuantizeLinear", List.of(v, scale, zp), List.of(q), Attributes.NONE),
                    new Node(names.fresh(v + "_DequantizeLinear"), "DequantizeLinear", List.of(q, scale, zp), List.of(dq), Attributes.NONE));
            readAs.put(v, dq);
            if (g.producer(v) == null) head.addAll(pair);
            else after.put(v, pair);
        }

        List<Node> nodes = new ArrayList<>(head);
        Map<String, NdArray> corrected = new LinkedHashMap<>(g.parameters());
        List<Node> correctedNodes = new ArrayList<>(g.nodes());
        int weights = 0;
        for (Node n : g.nodes()) {
            List<String> ins = new ArrayList<>(n.inputs());
            for (int i = 0; i < ins.size(); i++) ins.set(i, readAs.getOrDefault(ins.get(i), ins.get(i)));
            if (isLinear(g, n)) {
                weights++;
                String w = n.input(1);
                NdArray wt = g.parameter(w);
                boolean conv = n.opType().equals("Conv");
                int channelAxis = conv ? 0 : 1;
                QuantizedWeight qw = quantizeWeight(wt, o, channelAxis, conv ? 1 : 0);
                String qName = names.fresh(w + "_quantized");
                String sName = names.fresh(w + "_scale");
                String dqName = names.fresh(w + "_dequantized");
                params.put(qName, qw.values());
                params.put(sName, qw.scale());
                List<String> dqIns = new ArrayList<>(List.of(qName, sName));
                if (o.weights() == Weights.INT8) {
                    String zp = names.fresh(w + "_zero_point");
                    params.put(zp, NdArray.ofBytes(DType.INT8, qw.scale().shape(), new byte[Math.toIntExact(qw.scale().size())]));
                    dqIns.add(zp);
                }
                nodes.add(new Node(names.fresh(w + "_DequantizeLinear"), "DequantizeLinear", "", dqIns, List.of(dqName), qw.attributes(), ""));
                ins.set(1, dqName);
                if (o.biasCorrection()) {
                    double[] shift = biasShift(g, n, wt, qw.dequantized(), calib.get(n.input(0)));
                    correctBias(g, n, shift, params, corrected, correctedNodes, ins, names);
                }
                if (conv && ins.size() > 2 && !ins.get(2).isEmpty() && actScale.containsKey(n.input(0))) {
                    ins.set(2, int32Bias(params, ins.get(2), actScale.get(n.input(0))[0], qw.channelScales(), names, nodes));
                }
            }
            nodes.add(n.withInputs(ins));
            for (String out : n.outputs()) nodes.addAll(after.getOrDefault(out, List.of()));
        }
        Set<String> read = new HashSet<>();
        for (Node n : nodes) read.addAll(n.readValues());
        params.keySet().removeIf(p -> !read.contains(p) && !outputs.contains(p));
        Map<String, Long> opsets = new LinkedHashMap<>(m.opsets());
        opsets.put("", Math.max(m.opset(), opsetFor(o)));
        Model quantized = new Model(g.withNodes(nodes, params), opsets, m.info().withMetadata("orbit.quantized", o.describe()));
        Model correctedModel = m.withGraph(g.withNodes(correctedNodes, corrected));
        return new Result(quantized, correctedModel, weights, acts.size());
    }

    /** A Conv or MatMul whose input 1 is a float weight parameter of rank ≥ 2 and input 0 is computed. */
    static boolean isLinear(Graph g, Node n) {
        if (!n.isStandardDomain() || !n.opType().equals("Conv") && !n.opType().equals("MatMul")) return false;
        String w = n.input(1);
        return !g.isParameter(n.input(0)) && g.isParameter(w) && g.parameter(w).dtype() == DType.FLOAT32
                && (n.opType().equals("Conv") || g.parameter(w).rank() == 2);
    }

    /** scale and zero point for an activation range [lo, hi] ∋ 0. */
    static double[] activationGrid(double[] r, Activations type) {
        double span = r[1] - r[0];
        double scale = span > 0 ? span / 255 : 1;
        double qmin = type == Activations.UINT8 ? 0 : -128;
        double zp = Math.max(qmin, Math.min(qmin + 255, Math.rint(qmin - r[0] / scale)));
        return new double[] {scale, zp};
    }

    /** Integer values, their scale tensor, the DequantizeLinear attributes and the dequantized weight in float64. */
    record QuantizedWeight(NdArray values, NdArray scale, Attributes attributes, double[] dequantized, double[] channelScales) {}

    /**
     * Signed symmetric quantization of a weight: per tensor, per slice of {@code channelAxis}, or (int4 with a group)
     * in blocks of G along {@code blockAxis}.
     */
    static QuantizedWeight quantizeWeight(NdArray w, Options o, int channelAxis, int blockAxis) {
        double[] v = w.toDoubleArray();
        long[] shape = w.shape();
        int qmax = o.weights() == Weights.INT8 ? 127 : 7;
        // group index of every entry, and the shape of the scale tensor
        int[] groupOf = new int[v.length];
        long[] scaleShape;
        Attributes at = Attributes.NONE;
        int groups;
        if (o.group() > 0) {
            scaleShape = shape.clone();
            scaleShape[blockAxis] = (shape[blockAxis] + o.group() - 1) / o.group();
            long[] stride = strides(shape);
            long[] sstride = strides(scaleShape);
            for (int i = 0; i < v.length; i++) {
                long gi = 0;
                for (int d = 0; d < shape.length; d++) {
                    long idx = (i / stride[d]) % shape[d];
                    if (d == blockAxis) idx /= o.group();
                    gi += idx * sstride[d];
                }
                groupOf[i] = (int) gi;
            }
            groups = Math.toIntExact(NdArray.count(scaleShape));
            at = at.with("axis", new Attr.Int(blockAxis)).with("block_size", new Attr.Int(o.group()));
        } else if (o.perChannel()) {
            long inner = strides(shape)[channelAxis];
            for (int i = 0; i < v.length; i++) groupOf[i] = (int) ((i / inner) % shape[channelAxis]);
            groups = Math.toIntExact(shape[channelAxis]);
            scaleShape = new long[] {groups};
            at = at.with("axis", new Attr.Int(channelAxis));
        } else {
            groups = 1;
            scaleShape = new long[0];
        }
        double[] max = new double[groups];
        for (int i = 0; i < v.length; i++) max[groupOf[i]] = Math.max(max[groupOf[i]], Math.abs(v[i]));
        float[] scale = new float[groups];
        for (int k = 0; k < groups; k++) scale[k] = (float) (max[k] > 0 ? max[k] / qmax : 1);
        byte[] q = new byte[v.length];
        double[] deq = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = scale[groupOf[i]];
            long x = Math.max(-qmax, Math.min(qmax, (long) Math.rint(v[i] / s)));
            q[i] = (byte) x;
            deq[i] = x * s;
        }
        // the scale per output channel (bias quantization): per tensor repeats, per channel is itself; blocks have none
        double[] channelScales = new double[Math.toIntExact(shape[channelAxis])];
        for (int c = 0; c < channelScales.length; c++) channelScales[c] = groups == 1 ? scale[0] : o.group() > 0 ? Double.NaN : scale[c];
        DType type = o.weights() == Weights.INT8 ? DType.INT8 : DType.INT4;
        return new QuantizedWeight(NdArray.ofBytes(type, shape, q), NdArray.ofFloats(scale, scaleShape), at, deq, channelScales);
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /**
     * E[W̃x] − E[Wx] per output channel from the calibration mean of the input: Σ ΔW[o, c, …]·E[x_c] (a Conv's kernel
     * positions all see the channel mean, which ignores zero padding at the borders).
     */
    private static double[] biasShift(Graph g, Node n, NdArray w, double[] deq, NdArray input) {
        double[] v = w.toDoubleArray();
        long[] shape = w.shape();
        boolean conv = n.opType().equals("Conv");
        double[] mean = Calibration.perChannel(input, conv ? 1 : input.rank() - 1, false);
        if (conv) {
            int out = Math.toIntExact(shape[0]);
            int in = Math.toIntExact(shape[1]);
            int k = v.length / (out * in);
            long group = n.attributes().getInt("group", 1);
            int outPerGroup = Math.toIntExact(out / group);
            double[] shift = new double[out];
            for (int o = 0; o < out; o++) {
                int first = (o / outPerGroup) * in;
                for (int c = 0; c < in; c++) {
                    for (int j = 0; j < k; j++) {
                        int i = (o * in + c) * k + j;
                        shift[o] += (deq[i] - v[i]) * mean[first + c];
                    }
                }
            }
            return shift;
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        double[] shift = new double[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) shift[c] += (deq[r * cols + c] - v[r * cols + c]) * mean[r];
        return shift;
    }

    /** Subtracts the shift from the Conv bias (created when absent) or the bias Add after a MatMul, in both models. */
    private static void correctBias(Graph g, Node n, double[] shift, Map<String, NdArray> params, Map<String, NdArray> corrected,
                                    List<Node> correctedNodes, List<String> ins, Names names) {
        String bias;
        if (n.opType().equals("Conv")) {
            bias = n.input(2);
            if (bias.isEmpty()) {
                bias = names.fresh(n.label() + ".bias");
                NdArray zero = NdArray.ofFloats(new float[shift.length], shift.length);
                params.put(bias, zero);
                corrected.put(bias, zero);
                while (ins.size() < 3) ins.add("");
                ins.set(2, bias);
                List<String> cin = new ArrayList<>(n.inputs());
                while (cin.size() < 3) cin.add("");
                cin.set(2, bias);
                correctedNodes.set(correctedNodes.indexOf(n), n.withInputs(cin));
            }
        } else {
            List<Node> consumers = g.consumers(n.output(0));
            if (consumers.size() != 1 || !consumers.getFirst().opType().equals("Add")) return;
            Node add = consumers.getFirst();
            bias = add.input(0).equals(n.output(0)) ? add.input(1) : add.input(0);
            if (!g.isParameter(bias) || g.parameter(bias).size() != shift.length) return;
        }
        double[] b = params.get(bias).toDoubleArray();
        float[] nb = new float[b.length];
        for (int i = 0; i < b.length; i++) nb[i] = (float) (b[i] - shift[i]);
        NdArray value = NdArray.ofFloats(nb, params.get(bias).shape());
        params.put(bias, value);
        corrected.put(bias, value);
    }

    /** A Conv bias as int32 on the grid s_x·s_w (per output channel), read through DequantizeLinear. */
    private static String int32Bias(Map<String, NdArray> params, String bias, double inputScale, double[] weightScales,
                                    Names names, List<Node> nodes) {
        for (double s : weightScales) if (Double.isNaN(s)) return bias; // blocked weights: keep the bias in float
        double[] b = params.get(bias).toDoubleArray();
        ByteBuffer q = ByteBuffer.allocate(4 * b.length).order(ByteOrder.LITTLE_ENDIAN);
        float[] scale = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            scale[i] = (float) (inputScale * weightScales[i]);
            q.putInt((int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, Math.rint(b[i] / scale[i]))));
        }
        String qName = names.fresh(bias + "_quantized");
        String sName = names.fresh(bias + "_scale");
        String out = names.fresh(bias + "_dequantized");
        params.put(qName, NdArray.ofBytes(DType.INT32, new long[] {b.length}, q.array()));
        params.put(sName, NdArray.ofFloats(scale, b.length));
        nodes.add(new Node(names.fresh(bias + "_DequantizeLinear"), "DequantizeLinear", "", List.of(qName, sName), List.of(out),
                Attributes.NONE.with("axis", new Attr.Int(0)), ""));
        return out;
    }

    /** Gemm(x, W, b) with transA = 0 and α = β = 1 as MatMul(x, W or Wᵀ) + b: the form that fuses to QLinearMatMul. */
    static Model gemmAsMatMul(Model m) {
        Graph g = m.graph();
        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        Names names = new Names(g);
        List<Node> nodes = new ArrayList<>();
        boolean changed = false;
        for (Node n : g.nodes()) {
            Attributes at = n.attributes();
            String w = n.input(1);
            if (!n.opType().equals("Gemm") || at.getInt("transA", 0) != 0 || at.getFloat("alpha", 1f) != 1f || at.getFloat("beta", 1f) != 1f
                    || !g.isParameter(w) || g.parameter(w).rank() != 2 || g.parameter(w).dtype() != DType.FLOAT32
                    || !n.input(2).isEmpty() && !g.isParameter(n.input(2))) {
                nodes.add(n);
                continue;
            }
            changed = true;
            String weight = w;
            if (at.getInt("transB", 0) != 0) {
                NdArray t = g.parameter(w);
                int rows = Math.toIntExact(t.dim(0));
                int cols = Math.toIntExact(t.dim(1));
                float[] src = t.toFloatArray();
                float[] dst = new float[src.length];
                for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
                weight = names.fresh(w + "_t");
                params.put(weight, NdArray.ofFloats(dst, cols, rows));
            }
            if (n.input(2).isEmpty()) {
                nodes.add(new Node(n.name(), "MatMul", List.of(n.input(0), weight), n.outputs(), Attributes.NONE));
            } else {
                String mm = names.fresh(n.output(0) + "_matmul");
                nodes.add(new Node(n.name(), "MatMul", List.of(n.input(0), weight), List.of(mm), Attributes.NONE));
                nodes.add(new Node(names.fresh(n.label() + "_bias"), "Add", List.of(mm, n.input(2)), n.outputs(), Attributes.NONE));
            }
        }
        if (!changed) return m;
        Set<String> read = new HashSet<>();
        for (Node n : nodes) read.addAll(n.readValues());
        params.keySet().removeIf(p -> !read.contains(p));
        return m.withGraph(g.withNodes(nodes, params));
    }

    /** Fresh value and node names. */
    private static final class Names {
        private final Set<String> used = new HashSet<>();

        Names(Graph g) {
            used.addAll(g.allValueNames());
            for (Node n : g.nodes()) used.add(n.name());
            used.addAll(g.parameters().keySet());
        }

        String fresh(String base) {
            String n = base;
            for (int i = 1; !used.add(n); i++) n = base + "_" + i;
            return n;
        }
    }
}
