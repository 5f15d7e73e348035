package dev.orbit.graph.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orbit.graph.build.ArchSpec.Layer;
import dev.orbit.ops.Activation;
import dev.orbit.ops.activation.Gelu;
import dev.orbit.ops.activation.LeakyRelu;
import dev.orbit.ops.standard.StandardOps;

class ArchSpecTest {
    private static final Activation RELU = activation("relu");

    private static Activation activation(String name) { return StandardOps.registry().activation(name); }

    @Test
    void mlpExpandsRepeats() {
        var m = (ArchSpec.Mlp) ArchSpec.parse("mlp:784-500x5-10:relu");
        assertEquals(784, m.inputs());
        assertEquals(10, m.outputs());
        assertEquals(List.of(500, 500, 500, 500, 500), m.widths().subList(1, 6));
        assertEquals(7, m.widths().size());
        assertEquals(RELU, m.activation());
        assertEquals("mlp:784-256-128-10:tanh", ArchSpec.parse("mlp:784-256-128-10:tanh").toString());
    }

    @Test
    void activationDefaultsToReluAndIsCaseInsensitive() {
        assertEquals(RELU, ArchSpec.parse("mlp:4-2").activation());
        assertTrue(ArchSpec.parse("MLP:4-2:GELU").activation().op() instanceof Gelu);
        var logistic = (ArchSpec.Mlp) ArchSpec.parse("mlp:784-10");
        assertEquals(List.of(784, 10), logistic.widths());
    }

    @Test
    void leakyReluSlope() {
        assertTrue(activation("leakyrelu").op() instanceof LeakyRelu);
        assertEquals(0.01, activation("leakyrelu").parameter());
        assertEquals(0.1, activation("leakyrelu0.1").parameter());
        assertEquals("leakyrelu", activation("leakyrelu").toString());
        assertEquals("leakyrelu0.1", activation("leakyrelu0.1").toString());
        assertEquals(Math.sqrt(2 / 1.01), activation("leakyrelu0.1").gain(), 1e-12);
        for (String name : StandardOps.registry().activationNames()) {
            Activation a = activation(name.replace("[SLOPE]", ""));
            assertEquals(a, activation(a.toString()), "round trip of " + a);
            assertEquals(a, ArchSpec.parse("mlp:4-2:" + a).activation(), "spec with " + a);
        }
    }

    /** The vocabulary the spec accepted before it came from the op registry, with the same gains. */
    @ParameterizedTest
    @CsvSource({"relu,1.4142135623730951", "tanh,1.6666666666666667", "sigmoid,1", "elu,1.4142135623730951",
            "gelu,1.4142135623730951", "hardtanh,1", "linear,1", "selu,0.75", "softplus,1.4142135623730951"})
    void legacyNamesKeepTheirGains(String name, double gain) {
        assertEquals(name, activation(name).toString());
        assertEquals(gain, activation(name).gain());
    }

    @Test
    void cnnLayers() {
        var c = (ArchSpec.Cnn) ArchSpec.parse("cnn:1x28x28-c16-c32-p-c64-p-fc128-10:relu");
        assertEquals(new ArchSpec.Image(1, 28, 28), c.input());
        assertEquals(List.of(new Layer.Conv(16, false), new Layer.Conv(32, false), new Layer.Pool(),
                new Layer.Conv(64, false), new Layer.Pool(), new Layer.Dense(128)), c.layers());
        assertEquals(10, c.outputs());
        assertEquals("cnn:1x28x28-c16-c32-p-c64-p-fc128-10:relu", c.toString());

        var bn = (ArchSpec.Cnn) ArchSpec.parse("cnn:3x32x32-c32x2/bn-p-fc64x2-10:elu");
        assertEquals(List.of(new Layer.Conv(32, true), new Layer.Conv(32, true), new Layer.Pool(),
                new Layer.Dense(64), new Layer.Dense(64)), bn.layers());
        assertEquals(bn, ArchSpec.parse(bn.toString()));
        assertEquals(Collections.emptyList(), ((ArchSpec.Cnn) ArchSpec.parse("cnn:1x8x8-10")).layers());
    }

    @Test
    void resnetStages() {
        var r = (ArchSpec.ResNet) ArchSpec.parse("resnet:1x28x28-16x2-32x2-10:relu");
        assertEquals(List.of(new ArchSpec.Stage(16, 2), new ArchSpec.Stage(32, 2)), r.stages());
        assertEquals(10, r.outputs());
        assertEquals("resnet:1x28x28-16x2-32x2-10:relu", r.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''|empty architecture spec",
            "mlp|should be FAMILY:LAYERS[:ACTIVATION]",
            "mlp:4-2:relu:x|should be FAMILY:LAYERS[:ACTIVATION]",
            "rnn:4-2|unknown network family 'rnn'",
            "mlp:784|needs at least an input and an output width",
            "mlp:784--10|empty layer at position 2",
            "mlp:784-abc-10|hidden layer width 'abc' is not a whole number",
            "mlp:784-0-10|hidden layer width must be positive, got 0",
            "mlp:784-500x-10|hidden layer repeat count '' is not a whole number",
            "mlp:784-500x5x2-10|should be W or WxR",
            "mlp:784-500x100000-10|repeats more than 10000 times",
            "mlp:784x2-10|input width '784x2' is not a whole number",
            "mlp:784-10x2|output width '10x2' is not a whole number",
            "mlp:784-99999999999-10|is not a whole number",
            "mlp:784-10:swish|unknown activation 'swish'",
            "mlp:784-10:leakyreluabc|leakyrelu slope 'abc' is not a number",
            "cnn:1x28-10|input '1x28' should be CxHxW",
            "cnn:1x28x28|needs an input CxHxW and a class count",
            "cnn:1x28x28-fc10-c3-10|conv 'c3' after a fully connected layer",
            "cnn:1x28x28-fc10-p-10|pool 'p' after a fully connected layer",
            "cnn:1x2x2-p-p-10|pool 'p' on a 1x1 feature map",
            "cnn:1x28x28-c16/ln-10|the only option is /bn",
            "cnn:1x28x28-q-10|unknown CNN layer 'q'",
            "cnn:1x28x28-c-10|conv 'c' width '' is not a whole number",
            "cnn:1x28x28-c16-fc10-0|class count must be positive",
            "resnet:1x28x28-10|at least one stage",
            "resnet:1x28x28-16-10|stage '16' should be WIDTHxBLOCKS",
            "resnet:1x28x28-16x0-10|block count in '16x0' must be positive",
    })
    void malformedSpecsSayWhatIsWrong(String spec, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ArchSpec.parse(spec));
        assertTrue(e.getMessage().contains(message), "message for '" + spec + "': " + e.getMessage());
        if (!spec.isEmpty()) assertTrue(e.getMessage().contains(spec), "names the spec: " + e.getMessage());
    }
}
