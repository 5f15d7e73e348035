package dev.orbit.graph.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Initializer;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

class NetworkBuilderTest {
    static final String MLP = "mlp:784-500x5-10:relu";
    static final String CNN = "cnn:1x28x28-c16-c32-p-c64-p-fc128-10:relu";
    static final String CNN_BN = "cnn:1x28x28-c16/bn-c32/bn-p-c64/bn-p-fc128-10:relu";
    static final String RESNET = "resnet:1x28x28-16x2-32x2-10:relu";

    static Model build(String spec) {
        return NetworkBuilder.build(ArchSpec.parse(spec), new Initializer.TorchDefault(), 42);
    }

    /** A random input batch of 3 for the model's declared input shape. */
    static Map<String, NdArray> feeds(Model m, long seed) {
        long[] shape = m.graph().inputs().getFirst().type().shape().with(0, Dim.of(3)).sizes();
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Map.of(NetworkBuilder.INPUT, NdArray.ofFloats(v, shape));
    }

    /** Orbit's evaluator and ONNX Runtime agree within 1e-5 relative (ε = output scale); returns ORT's logits. */
    static NdArray assertEnginesAgree(Model m) {
        var in = feeds(m, 7);
        NdArray ort;
        try (OrtRunner r = new OrtRunner(m)) {
            ort = r.run(in).get(NetworkBuilder.OUTPUT);
        }
        NdArray mine = new Evaluator(m).run(in).get(NetworkBuilder.OUTPUT);
        var cmp = OutputComparison.of("logits", ort, mine);
        assertTrue(cmp.within(1e-5), "evaluator vs ORT: max rel " + cmp.maxRelError() + ", abs " + cmp.maxAbsError());
        assertTrue(cmp.nonFiniteB() == 0, "finite logits");
        return ort;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {MLP, CNN, CNN_BN, RESNET})
    void outputIsBatchBy10AndBothEnginesAgree(String spec) {
        Model m = build(spec);
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(10)), ShapeInference.infer(m).get("logits").shape());
        assertEquals(17, m.opset());
        assertEquals(ArchSpec.parse(spec).toString(), m.info().metadata().get("orbit.arch"));
        NdArray logits = assertEnginesAgree(m);
        assertArrayEquals(new long[] {3, 10}, logits.shape());
    }

    @Test
    void mlpParametersAndNames() {
        Model m = build(MLP);
        long want = 784 * 500 + 500 + 4 * (500 * 500 + 500) + 500 * 10 + 10;
        assertEquals(want, m.graph().parameterCount());
        assertArrayEquals(new long[] {500, 784}, m.graph().parameter("fc1.weight").shape());
        assertArrayEquals(new long[] {10}, m.graph().parameter("fc6.bias").shape());
        Node last = m.graph().producer("logits");
        assertEquals("fc6", last.name());
        assertEquals(1, last.attributes().getInt("transB", 0));
    }

    @Test
    void cnnParametersAndNames() {
        Model m = build(CNN);
        long conv = (1 * 9 + 1) * 16 + (16 * 9 + 1) * 32 + (32 * 9 + 1) * 64;
        long fc = (64 * 7 * 7 + 1) * 128 + (128 + 1) * 10;
        assertEquals(conv + fc, m.graph().parameterCount());
        assertArrayEquals(new long[] {32, 16, 3, 3}, m.graph().parameter("conv2.weight").shape());
        assertArrayEquals(new long[] {128, 3136}, m.graph().parameter("fc1.weight").shape());
        assertEquals(1, m.graph().nodes().stream().filter(n -> n.opType().equals("Flatten")).count());
        assertEquals(2, m.graph().nodes().stream().filter(n -> n.opType().equals("MaxPool")).count());

        Model bn = build(CNN_BN);
        assertNull(bn.graph().parameter("conv1.bias"), "a conv before BatchNorm has no bias");
        assertEquals(1f, bn.graph().parameter("conv3.bn.var").getFloat(5));
        assertEquals(0f, bn.graph().parameter("conv3.bn.mean").getFloat(5));
        assertEquals(1f, bn.graph().parameter("conv3.bn.scale").getFloat(5));
        assertEquals(0f, bn.graph().parameter("conv3.bn.bias").getFloat(5));
        // BatchNorm: 4 tensors per channel (scale, bias, running mean and variance)
        long bnConv = 1 * 9 * 16 + 16 * 9 * 32 + 32 * 9 * 64 + 4 * (16 + 32 + 64);
        assertEquals(bnConv + fc, bn.graph().parameterCount());
    }

    @Test
    void resnetParametersAndNames() {
        Model m = build(RESNET);
        long bn16 = 4 * 16;
        long bn32 = 4 * 32;
        long stem = 9 * 16 + bn16;
        long stage1 = 2 * 2 * (16 * 16 * 9 + bn16);
        long block3 = 16 * 32 * 9 + bn32 + 32 * 32 * 9 + bn32 + 16 * 32 + bn32;
        long block4 = 2 * (32 * 32 * 9 + bn32);
        long fc = 32 * 10 + 10;
        assertEquals(stem + stage1 + block3 + block4 + fc, m.graph().parameterCount());
        assertArrayEquals(new long[] {16, 16, 3, 3}, m.graph().parameter("block2.conv1.weight").shape());
        assertArrayEquals(new long[] {32, 16, 1, 1}, m.graph().parameter("block3.downsample.conv.weight").shape());
        assertNull(m.graph().parameter("block1.downsample.conv.weight"), "same width: identity skip");
        assertArrayEquals(new long[] {2, 2}, m.graph().producer("block3.conv1").attributes().getInts("strides", null));
        assertArrayEquals(new long[] {1, 1}, m.graph().producer("block4.conv1").attributes().getInts("strides", null));
        // 28 → 14 after the one stride-2 stage
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(32), Dim.of(14), Dim.of(14)),
                ShapeInference.infer(m).get("block4.act").shape());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relu", "leakyrelu", "leakyrelu0.2", "tanh", "sigmoid", "elu", "gelu", "hardtanh", "linear",
            "selu", "softplus"})
    void everyActivationRunsInBothEngines(String act) {
        Model mlp = NetworkBuilder.build(ArchSpec.parse("mlp:12-8x2-3:" + act), new Initializer.Kaiming(1.5), 1);
        assertEnginesAgree(mlp);
        Model cnn = NetworkBuilder.build(ArchSpec.parse("cnn:2x6x6-c4/bn-p-fc5-3:" + act), new Initializer.Xavier(1), 2);
        assertEnginesAgree(cnn);
        if (act.equals("linear")) {
            assertTrue(mlp.graph().nodes().stream().allMatch(n -> n.opType().equals("Gemm")), "identity adds no node");
        }
        if (act.equals("leakyrelu0.2")) {
            assertEquals(0.2f, mlp.graph().producer("fc1.act").attributes().getFloat("alpha", 0));
        }
    }

    @Test
    void seedFixesTheWeights() {
        var spec = ArchSpec.parse("mlp:20-10-3");
        var init = new Initializer.Kaiming(Math.sqrt(2));
        Model a = NetworkBuilder.build(spec, init, 5);
        Model b = NetworkBuilder.build(spec, init, 5);
        Model c = NetworkBuilder.build(spec, init, 6);
        for (String p : a.graph().parameters().keySet()) {
            assertArrayEquals(a.graph().parameter(p).toFloatArray(), b.graph().parameter(p).toFloatArray(), p);
        }
        assertFalse(java.util.Arrays.equals(a.graph().parameter("fc1.weight").toFloatArray(),
                c.graph().parameter("fc1.weight").toFloatArray()));
        // layers draw from independent streams: not a shifted copy of one another
        assertFalse(a.graph().parameter("fc1.weight").getFloat(0) == a.graph().parameter("fc2.weight").getFloat(0));
        assertEquals("kaiming:" + Math.sqrt(2), a.info().metadata().get("orbit.init"));
        assertNotNull(a.info().metadata().get("orbit.seed"));
    }

    @Test
    void weightStdFollowsTheInitializer() {
        Model m = NetworkBuilder.build(ArchSpec.parse("mlp:784-512-10"), new Initializer.Kaiming(Math.sqrt(2)), 3);
        float[] w = m.graph().parameter("fc1.weight").toFloatArray();
        double s = 0;
        for (float x : w) s += x * x;
        assertEquals(Math.sqrt(2.0 / 784), Math.sqrt(s / w.length), 0.05 * Math.sqrt(2.0 / 784));
        for (float x : m.graph().parameter("fc1.bias").toFloatArray()) assertEquals(0f, x);
    }
}
