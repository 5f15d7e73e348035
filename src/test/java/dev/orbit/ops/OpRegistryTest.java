package dev.orbit.ops;

import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.sigmoid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.orbit.Fixtures;
import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.ops.activation.Clip;
import dev.orbit.ops.activation.ClipWithAttributes;
import dev.orbit.ops.activation.Relu;
import dev.orbit.ops.softmax.Softmax2D;
import dev.orbit.ops.softmax.Softmax;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;
import dev.orbit.verify.WeightChange;

/** Registries are values: a user adds an op of their own domain, and the evaluator and the analysis use it. */
class OpRegistryTest {
    /** The fixture's com.example::FancyActivation, defined here as x·σ(alpha·x). */
    static class FancyActivation extends ElementwiseOp {
        FancyActivation() { super("FancyActivation"); }

        @Override
        public String domain() { return "com.example"; }

        @Override
        protected Tensor apply(Tensor x, Attributes at) { return mul(x, sigmoid(mul(x, OpSupport.scalar(at.getFloat("alpha", 1f))))); }

        @Override
        public double phi(double x, double parameter) { return x / (1 + Math.exp(-x)); }

        @Override
        public double derivative(double x, double parameter) {
            double s = 1 / (1 + Math.exp(-x));
            return s + x * s * (1 - s);
        }

        @Override
        public List<String> names() { return List.of("fancy"); }
    }

    @Test
    void aCustomDomainOpEvaluatesInfersAndGetsASymmetryRule() {
        var fixture = Fixtures.get("unknown_op");
        Model m = fixture.load();
        Map<String, NdArray> feeds = Map.of(m.graph().inputs().getFirst().name(), fixture.input());
        String out = m.graph().outputs().getFirst().name();

        // the standard ops neither run it nor move the spaces around it
        assertThrows(UnsupportedOpException.class, () -> new Evaluator(m).run(feeds));
        SymmetryAnalysis frozen = SpaceAnalyzer.analyze(m);
        assertTrue(frozen.freeSpaces().isEmpty(), "everything frozen: " + frozen.spaces());

        OpRegistry mine = StandardOps.registry().with(new FancyActivation());
        NdArray y = new Evaluator(m, mine).run(feeds).get(out);
        assertEquals(2, ShapeInference.infer(m, mine).get(out).shape().rank());

        // reference: the same graph with the custom node written as standard ops, run in ONNX Runtime
        NdArray reference;
        try (OrtRunner ort = new OrtRunner(OnnxExporter.toBytes(standardised(m)), 1)) {
            reference = ort.run(feeds).get(out);
        }
        OutputComparison c = OutputComparison.of(out, reference, y);
        assertTrue(c.within(1e-5), "custom op vs ONNX Runtime: " + c.maxRelError());

        // its symmetry rule (an activation region) frees the hidden space: teleport and keep the function
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m, mine);
        NeuronSpace hidden = a.freeSpaces().getFirst();
        assertEquals(Scaling.NONZERO, hidden.scaling(), "any non-zero factor, through the τ·φ(x/τ) rewrite");
        assertFalse(a.regions().isEmpty(), "the custom activation forms a region rewritten as τ·φ(x/τ)");
        GroupElement g = Sampling.scales(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), 3);
        Model moved = OrbitAction.apply(m, a, g, mine);
        assertTrue(WeightChange.relative(m, moved) > 0.1, "the weights moved");
        OutputComparison kept = OutputComparison.of(out, y, new Evaluator(moved, mine).run(feeds).get(out));
        assertTrue(kept.within(1e-5), "moved along the orbit of space " + hidden.id() + ": " + kept.maxRelError());

        // and it joined the activation vocabulary
        assertSame(FancyActivation.class, mine.activation("fancy").op().getClass());
        assertThrows(IllegalArgumentException.class, () -> StandardOps.registry().activation("fancy"));
    }

    /** FancyActivation(x; alpha) → Mul(x, Sigmoid(Mul(x, alpha))). */
    private static Model standardised(Model m) {
        List<Node> nodes = new ArrayList<>();
        Map<String, NdArray> params = new LinkedHashMap<>(m.graph().parameters());
        for (Node n : m.graph().nodes()) {
            if (!n.opType().equals("FancyActivation")) {
                nodes.add(n);
                continue;
            }
            params.put("alpha", NdArray.ofFloats(new float[] {n.attributes().getFloat("alpha", 1f)}));
            nodes.add(new Node("scaled", "Mul", List.of(n.input(0), "alpha"), List.of("scaled"), Attributes.NONE));
            nodes.add(new Node("gate", "Sigmoid", List.of("scaled"), List.of("gate"), Attributes.NONE));
            nodes.add(new Node("fancy", "Mul", List.of(n.input(0), "gate"), List.of(n.output(0)), Attributes.NONE));
        }
        Map<String, Long> opsets = new LinkedHashMap<>(m.opsets());
        opsets.remove("com.example");
        return new Model(m.graph().withNodes(nodes, params), opsets, m.info());
    }

    @Test
    void opsetVersionsAreSeparateRooms() {
        OpRegistry r = StandardOps.registry();
        Node clip = new Node("c", "Clip", List.of("x"), List.of("y"), Attributes.NONE);
        assertTrue(r.find(clip, 9).orElseThrow() instanceof ClipWithAttributes);
        assertTrue(r.find(clip, 13).orElseThrow() instanceof Clip);
        Node softmax = new Node("s", "Softmax", List.of("x"), List.of("y"), Attributes.NONE);
        assertTrue(r.find(softmax, 12).orElseThrow() instanceof Softmax2D);
        assertTrue(r.find(softmax, 13).orElseThrow() instanceof Softmax);
        assertTrue(r.find(new Node("u", "NoSuchOp", List.of("x"), List.of("y"), Attributes.NONE), 13).isEmpty());
    }

    @Test
    void withReplacesAndOfRejectsDuplicates() {
        Relu mine = new Relu();
        OpRegistry r = StandardOps.registry().with(mine);
        assertSame(mine, r.find(new Node("r", "Relu", List.of("x"), List.of("y"), Attributes.NONE), 13).orElseThrow());
        assertEquals(StandardOps.registry().supportedOps(), r.supportedOps());
        assertThrows(IllegalArgumentException.class, () -> OpRegistry.of(List.of(new Relu(), new Relu())));
        // two ops may not claim one activation name
        ElementwiseOp impostor = new FancyActivation() {
            @Override
            public List<String> names() { return List.of("tanh"); }
        };
        assertThrows(IllegalArgumentException.class, () -> StandardOps.registry().with(impostor));
        assertNotNull(StandardOps.registry().activation("hard-tanh"));
        assertTrue(StandardOps.registry().activationNames().contains("leakyrelu[SLOPE]"));
        assertEquals(new Attr.Float(0.1f), StandardOps.registry().activation("leakyrelu0.1").op().attributes(0.1).get("alpha").orElseThrow());
    }
}
