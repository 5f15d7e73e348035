package dev.orbit.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.Fixtures;
import dev.orbit.ops.Role;

/** The spaces a person would expect for every fixture, written down. */
class SymmetryExpectationsTest {
    static SymmetryAnalysis analyze(String fixture) { return SpaceAnalyzer.analyze(Fixtures.get(fixture).load()); }

    static List<Long> freeSizes(SymmetryAnalysis a) { return a.freeSpaces().stream().map(NeuronSpace::size).toList(); }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_relu", "mlp_leakyrelu", "mlp_tanh", "mlp_sigmoid", "mlp_elu", "mlp_gelu"})
    void mlpHiddenLayersAreFreeAndTheOutputIsFixed(String name) {
        var a = analyze(name);
        assertEquals(List.of(64L, 32L), freeSizes(a));
        for (NeuronSpace s : a.freeSpaces()) {
            assertTrue(s.permutable());
            assertEquals(Scaling.NONZERO, s.scaling());
            assertEquals(3, s.touches().size(), "rows and bias of one layer, columns of the next");
            boolean homogeneous = name.equals("mlp_relu") || name.equals("mlp_leakyrelu");
            assertEquals(homogeneous, s.exactWithoutRewrite(), name + ": ReLU-like activations need no rewrite for τ > 0");
        }
        NeuronSpace out = a.spaces().getLast();
        assertEquals(10, out.size());
        assertFalse(out.isFree());
        assertTrue(out.scaleReason().contains("network output"));
    }

    @Test
    void geluDecomposedIsOneRegionWithTwoEntries() {
        var r = analyze("mlp_gelu").regions().getFirst();
        assertEquals(3, r.nodes().size(), "Erf, Add, Mul of x·½(1+erf(x/√2)) form one region: " + r.nodes());
        assertEquals(2, r.entries().size(), "x and x/√2 enter the region");
    }

    @Test
    void cnnWithBatchNormAndMaxPoolTakesPositiveFactorsOnly() {
        var a = analyze("cnn_bn");
        assertEquals(List.of(8L, 16L, 32L), freeSizes(a));
        for (int i = 0; i < 2; i++) {
            NeuronSpace conv = a.space(i);
            assertEquals(Scaling.POSITIVE, conv.scaling());
            assertTrue(conv.scaleReason().contains("MaxPool"));
            long bnShifts = conv.touches().stream().filter(t -> t.role() == Role.COVARIANT).count();
            long bnPerm = conv.touches().stream().filter(t -> t.role() == Role.PERMUTE_ONLY).count();
            assertEquals(4, bnShifts, "conv weight, conv bias, BN shift, BN mean move with τ");
            assertEquals(2, bnPerm, "BN gain and variance are only permuted");
        }
        // the Flatten before the classifier repeats each channel's factor over its 7·7 positions
        NeuronSpace last = a.space(1);
        assertTrue(last.touches().stream().anyMatch(t -> t.role() == Role.CONTRAVARIANT && t.repeat() == 49), last.touches().toString());
        assertEquals(Scaling.NONZERO, a.space(2).scaling());
    }

    @Test
    void residualAddsMergeSpaces() {
        var a = analyze("resnet_block");
        assertEquals(List.of(8L, 8L, 16L, 16L), freeSizes(a));
        NeuronSpace stem = a.space(0);
        assertEquals(2, stem.regions().size(), "the stem ReLU and the ReLU after block 1's add share the space");
        assertTrue(stem.origin().contains("stem"));
        NeuronSpace down = a.space(2);
        assertTrue(down.origin().contains("downsample"), "block 2's skip (downsample) and body merge: " + down.origin());
        assertTrue(down.touches().stream().anyMatch(t -> t.parameter().equals("fc.weight") && t.role() == Role.CONTRAVARIANT));
    }

    @Test
    void concatIsADirectSum() {
        var a = analyze("densenet_block");
        assertEquals(List.of(8L, 4L, 4L, 4L, 10L), freeSizes(a));
        // the transition conv reads the concatenation [stem 8 | 4 | 4 | 4]: columns at offsets 0, 8, 12, 16
        List<Long> offsets = a.spaces().subList(0, 4).stream().map(s -> s.touches().stream()
                .filter(t -> t.role() == Role.CONTRAVARIANT && t.parameter().equals(transitionKernel(a)))
                .findFirst().orElseThrow().offset()).toList();
        assertEquals(List.of(0L, 8L, 12L, 16L), offsets);
    }

    private static String transitionKernel(SymmetryAnalysis a) {
        return a.space(4).touches().stream().filter(t -> t.role() == Role.COVARIANT).findFirst().orElseThrow().parameter();
    }

    @Test
    void depthwiseAndSqueezeExcitation() {
        var a = analyze("mobilenetv3_block");
        NeuronSpace expand = a.space(1);
        NeuronSpace depthwise = a.space(2);
        NeuronSpace gate = a.space(4);
        assertEquals(expand.permClass(), depthwise.permClass(), "depthwise conv shares its input's permutation");
        assertEquals(Scaling.NONZERO, depthwise.scaling(), "but scales independently");
        assertEquals(depthwise.permClass(), gate.permClass(), "the SE gate is permuted with the channels it gates");
        assertEquals(Scaling.NONE, gate.scaling());
        assertTrue(gate.scaleReason().contains("gate"));
        assertEquals(Scaling.NONZERO, a.space(3).scaling(), "the squeeze bottleneck is free");
        assertFalse(a.space(0).exactWithoutRewrite(), "hardswish needs the τ·σ(x/τ) rewrite");
    }

    @Test
    void seGateKeepsItsScaleButSharesThePermutation() {
        var a = analyze("se_gate");
        assertEquals(a.space(0).permClass(), a.space(2).permClass());
        assertEquals(Scaling.NONE, a.space(2).scaling());
        assertEquals(Scaling.NONZERO, a.space(0).scaling());
        assertEquals(Scaling.NONZERO, a.space(1).scaling());
    }

    @Test
    void decomposedHardSwishIsOneRegion() {
        var a = analyze("hardswish_decomposed");
        assertEquals(1, a.regions().size());
        assertEquals(List.of("hs_add", "hs_clip", "hs_mul"), a.regions().getFirst().nodes());
        assertEquals(Scaling.NONZERO, a.space(0).scaling());
    }

    @Test
    void decomposedLayerNormSplitsItsSpaceIntoPreNormAndPostGainParts() {
        var a = analyze("layernorm_decomposed");
        NeuronSpace pre = a.space(0);
        NeuronSpace post = a.space(1);
        assertTrue(pre.permutable(), "LayerNorm is permutation-equivariant");
        assertEquals(Scaling.NONE, pre.scaling(), "epsilon is fixed: no factor passes the norm");
        assertTrue(pre.scaleReason().contains("LayerNorm"), pre.scaleReason());
        assertEquals(pre.permClass(), post.permClass(), "gain and bias are permuted with the channels they scale");
        assertEquals(Scaling.NONZERO, post.scaling());
        assertTrue(post.touches().stream().anyMatch(t -> t.parameter().contains("gamma") && t.role() == dev.orbit.ops.Role.COVARIANT));
        assertTrue(post.touches().stream().anyMatch(t -> t.parameter().contains("beta") && t.role() == dev.orbit.ops.Role.COVARIANT));
    }

    @Test
    void transformerHeadsNormsAndFeedForwardEachGetTheirGroup() {
        var a = analyze("transformer_encoder");
        assertEquals(List.of(64L, 64L), a.spaces().stream().filter(s -> s.scaling() == Scaling.NONZERO && s.size() == 64).map(NeuronSpace::size).toList(),
                "the two feed-forward hidden layers scale");
        long heads = a.spaces().stream().filter(NeuronSpace::headPermutable).count();
        assertEquals(6, heads, "q, k and v of two attentions move by whole heads");
        assertTrue(a.spaces().stream().filter(NeuronSpace::headPermutable).allMatch(s -> s.permBlock() == 8 && s.scaling() == Scaling.NONE));
        assertTrue(a.spaces().stream().filter(s -> !s.isFree()).allMatch(s -> !s.scaleReason().isEmpty()),
                "every frozen space says why");
    }

    @Test
    void unknownOpFreezesWhatItTouches() {
        var a = analyze("unknown_op");
        assertTrue(a.freeSpaces().isEmpty());
        assertTrue(a.space(0).scaleReason().contains("FancyActivation"));
    }

    @Test
    void aMoveLeavesEverythingAnUnknownOpTouchesUnchanged() {
        var m = Fixtures.get("unknown_op").load();
        var a = SpaceAnalyzer.analyze(m);
        var g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), 1);
        var moved = OrbitAction.apply(m, a, g);
        for (var e : m.graph().parameters().entrySet()) {
            assertTrue(e.getValue() == moved.graph().parameter(e.getKey()), e.getKey() + " must be untouched (same array)");
        }
        assertEquals(m.graph().nodes(), moved.graph().nodes());
    }

    @Test
    void externalDataModelMovesToo() {
        assertEquals(List.of(32L), freeSizes(analyze("external_data")));
    }
}
