package dev.orbit.conformance;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import ai.onnx.proto.OnnxMl;
import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.io.onnx.OnnxTensors;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Runs a conformance test the way a user's model runs: {@link OnnxImporter} reads the file, {@link Evaluator}
 * evaluates it, and each output is held to the {@link BackendRule}. The reason for a failure names its cause
 * (a missing op, a dtype, sequence values, an error, wrong values) so the expectation file groups by it.
 */
final class OrbitBackend implements Backend {
    @Override
    public String name() { return "Orbit"; }

    @Override
    public Outcome run(SuiteCase test) {
        try {
            return runChecked(test);
        } catch (Exception | LinkageError | AssertionError e) {
            return Outcome.notYet(errorReason(e));
        }
    }

    private Outcome runChecked(SuiteCase test) throws Exception {
        OnnxMl.ModelProto proto = test.modelProto();
        String nonTensor = NonTensorValues.find(proto.getGraph());
        if (nonTensor != null) return Outcome.notYet(nonTensor);
        Model model;
        try {
            model = OnnxImporter.read(test.model());
        } catch (RuntimeException e) {
            return Outcome.notYet(importReason(e));
        }
        TreeSet<String> missing = new TreeSet<>();
        for (Node n : model.graph().nodes()) {
            if (StandardOps.registry().find(n, model.opset()).isEmpty()) missing.add(n.isStandardDomain() ? n.opType() : n.domain() + "::" + n.opType());
        }
        if (!missing.isEmpty()) return Outcome.notYet("missing op: " + String.join(", ", missing));
        Evaluator evaluator = new Evaluator(model);
        for (SuiteCase.DataSet set : test.dataSets(proto)) {
            Map<String, NdArray> feeds = new HashMap<>();
            for (int k = 0; k < set.inputs().size(); k++) {
                var t = ((SuiteValue.Tensor) set.inputs().get(k)).proto();
                if (t.getDataType() == ElementType.STRING) return Outcome.notYet("dtype: string");
                feeds.put(set.inputNames().get(k), OnnxTensors.decode(t));
            }
            Map<String, NdArray> outs = evaluator.run(feeds);
            for (int k = 0; k < set.outputs().size(); k++) {
                String name = set.outputNames().get(k);
                NdArray got = outs.get(name);
                if (got == null) return Outcome.notYet("error: output '" + name + "' was not produced");
                var expected = RefTensor.fromProto(((SuiteValue.Tensor) set.outputs().get(k)).proto());
                String bad = BackendRule.mismatch(name, expected, RefTensor.fromOrbit(got));
                if (bad != null) return Outcome.notYet(bad);
            }
            String inferred = checkInference(model, feeds, outs);
            if (inferred != null) return Outcome.notYet(inferred);
        }
        return Outcome.PASS;
    }

    /**
     * Shape inference must agree with what evaluation produced: with the fed shapes, every output's element type,
     * and every dimension inference claims to know. Null when it does.
     */
    private static String checkInference(Model model, Map<String, NdArray> feeds, Map<String, NdArray> outs) {
        Map<String, Shape> concrete = new HashMap<>();
        feeds.forEach((k, v) -> concrete.put(k, Shape.of(v.shape())));
        Map<String, ValueType> types = ShapeInference.infer(model, concrete);
        for (var e : outs.entrySet()) {
            ValueType t = types.get(e.getKey());
            NdArray got = e.getValue();
            if (t == null) continue;
            if (t.dtype() != got.dtype()) {
                return "shape inference: output '" + e.getKey() + "' inferred " + t.dtype().onnxName() + ", evaluated "
                        + got.dtype().onnxName();
            }
            if (t.shape() == null) continue;
            boolean agrees = t.shape().rank() == got.rank();
            for (int i = 0; agrees && i < got.rank(); i++) {
                if (t.shape().dim(i) instanceof Dim.Known(long d) && d != got.dim(i)) agrees = false;
            }
            if (!agrees) {
                return "shape inference: output '" + e.getKey() + "' inferred " + t.shape() + ", evaluated "
                        + java.util.Arrays.toString(got.shape());
            }
        }
        return null;
    }

    private static String importReason(RuntimeException e) {
        String msg = String.valueOf(e.getMessage());
        var m = java.util.regex.Pattern.compile("ONNX element type (\\d+)").matcher(msg);
        if (m.find()) return "dtype: " + ElementType.name(Integer.parseInt(m.group(1)));
        return "import: " + msg;
    }

    static String errorReason(Throwable e) {
        if (e instanceof DType.UnsupportedDTypeException) return "dtype: " + e.getMessage();
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "error: " + msg;
    }
}
