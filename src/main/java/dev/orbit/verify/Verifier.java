package dev.orbit.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;

/** Runs models on the same inputs and compares every output. */
public final class Verifier {
    private Verifier() {}

    /** Both models in ONNX Runtime under a verification rule. */
    public static VerifyReport compareInOrt(Model reference, String refLabel, Model candidate, String candLabel,
                                            Map<String, NdArray> feeds, String inputs, VerificationRule rule) {
        return switch (rule) {
            case Tolerance t -> compareInOrt(reference, refLabel, candidate, candLabel, feeds, inputs, t.maxRelativeError());
            case NoiseRule n -> {
                EvaluationBudget.check(reference, feeds);
                EvaluationBudget.check(candidate, feeds);
                Map<String, NdArray> own;
                Map<String, NdArray> moved;
                try (OrtRunner r = new OrtRunner(reference)) {
                    own = r.run(feeds);
                }
                try (OrtRunner r = new OrtRunner(candidate)) {
                    moved = r.run(feeds);
                }
                yield NoiseVerification.report(refLabel + " (orbit evaluator, float64)", candLabel + " (onnxruntime)",
                        Float64Reference.run(reference, feeds), own, moved, feeds, inputs, n);
            }
        };
    }

    /** Orbit's evaluator against ONNX Runtime under a verification rule. */
    public static VerifyReport evaluatorVsOrt(Model model, String label, Map<String, NdArray> feeds, String inputs,
                                              VerificationRule rule) {
        return switch (rule) {
            case Tolerance t -> evaluatorVsOrt(model, label, feeds, inputs, t.maxRelativeError());
            case NoiseRule n -> {
                EvaluationBudget.check(model, feeds);
                Map<String, NdArray> ort;
                try (OrtRunner r = new OrtRunner(model)) {
                    ort = r.run(feeds);
                }
                // ONNX Runtime's float32 error is the bar Orbit's float32 evaluator is held to
                yield NoiseVerification.report(label + " (orbit evaluator, float64)", label + " (orbit evaluator)",
                        Float64Reference.run(model, feeds), ort, new Evaluator(model).run(feeds), feeds, inputs, n);
            }
        };
    }

    /** Both models in ONNX Runtime (what a user deploys). */
    public static VerifyReport compareInOrt(Model reference, String refLabel, Model candidate, String candLabel,
                                            Map<String, NdArray> feeds, String inputs, double tolerance) {
        // validated before ONNX Runtime runs: no value with a known shape exceeds --max-bytes
        EvaluationBudget.check(reference, feeds);
        EvaluationBudget.check(candidate, feeds);
        Map<String, NdArray> a;
        Map<String, NdArray> b;
        try (OrtRunner r = new OrtRunner(reference)) {
            a = r.run(feeds);
        }
        try (OrtRunner r = new OrtRunner(candidate)) {
            b = r.run(feeds);
        }
        return report(refLabel + " (onnxruntime)", candLabel + " (onnxruntime)", a, b, feeds, inputs, tolerance);
    }

    /** One model: ONNX Runtime as the reference, Orbit's evaluator as the candidate. */
    public static VerifyReport evaluatorVsOrt(Model model, String label, Map<String, NdArray> feeds, String inputs,
                                              double tolerance) {
        EvaluationBudget.check(model, feeds); // before ONNX Runtime and libtorch allocate anything
        Map<String, NdArray> a;
        try (OrtRunner r = new OrtRunner(model)) {
            a = r.run(feeds);
        }
        Map<String, NdArray> b = new Evaluator(model).run(feeds);
        return report(label + " (onnxruntime)", label + " (orbit evaluator)", a, b, feeds, inputs, tolerance);
    }

    private static VerifyReport report(String refLabel, String candLabel, Map<String, NdArray> a, Map<String, NdArray> b,
                                       Map<String, NdArray> feeds, String inputs, double tolerance) {
        List<OutputComparison> outs = new ArrayList<>();
        for (var e : a.entrySet()) {
            NdArray other = b.get(e.getKey());
            if (other == null) {
                throw new VerificationException("output '" + e.getKey() + "' of the reference is missing from the candidate"
                        + " (candidate outputs: " + b.keySet() + ")");
            }
            outs.add(OutputComparison.of(e.getKey(), e.getValue(), other));
        }
        long samples = feeds.values().stream().findFirst().map(x -> x.rank() == 0 ? 1 : x.dim(0)).orElse(0L);
        boolean passed = outs.stream().allMatch(o -> o.within(tolerance));
        return new VerifyReport(refLabel, candLabel, inputs, samples, tolerance, VerifyReport.SCALE_RULE, outs, passed);
    }
}
