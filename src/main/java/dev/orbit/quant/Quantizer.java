package dev.orbit.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.numeric.Classification;
import dev.orbit.numeric.RelativeError;
import dev.orbit.symmetry.BatchNormFolding;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * Quantization through symmetry: fold BatchNorm into the convolutions, apply the chosen preparations (orbit moves,
 * each verified in ONNX Runtime under the noise rule), write QDQ ONNX, and measure in ONNX Runtime what quantization
 * costs with and without the preparations: output error against the float model, and accuracy when labels are given.
 */
public final class Quantizer {
    private Quantizer() {}

    /** One model's figures on the evaluation inputs: relative L2 and max relative output error, accuracy (NaN without labels). */
    public record Figures(String label, double outputError, double maxRelError, double accuracy) {}

    /** A step taken on the float model; {@code verification} for the exact ones, {@code floatError} for all. */
    public record Step(String name, boolean exact, String detail, VerifyReport verification, double floatError) {}

    public record Report(List<Preparation> preparations, List<Step> steps, QdqWriter.Options options, Figures floatModel,
                         Figures quantizedUnprepared, Figures preparedFloat, Figures quantizedPrepared, Model prepared, Model quantized,
                         Model quantizedUnpreparedModel) {}

    /**
     * {@code preparations} null: {@link #auto}. Calibration and evaluation inputs should differ; {@code labels} (or null)
     * are the evaluation inputs' classes.
     */
    public static Report run(Model model, List<Preparation> preparations, QdqWriter.Options options, Map<String, NdArray> calibration,
                             Map<String, NdArray> evaluation, long[] labels) {
        QdqWriter.checkOpset(model, QdqWriter.opsetFor(options));
        List<Step> steps = new ArrayList<>();
        NdArray reference = run(model, evaluation);
        BatchNormFolding.Result fold = BatchNormFolding.fold(model);
        Model current = fold.model();
        if (fold.folded() > 0) {
            steps.add(exactStep("bn-fold", fold.folded() + " BatchNorm folded into the Conv before it", model, current, evaluation, reference));
        }
        Model folded = current;
        List<Preparation> chosen = preparations == null ? auto(folded) : preparations;
        for (Preparation p : chosen) {
            Model before = current;
            String detail;
            switch (p) {
                case Preparation.Cle c -> {
                    SymmetryAnalysis a = SpaceAnalyzer.analyze(current);
                    if (CrossLayerEqualization.eligible(current, a).isEmpty()) {
                        throw new QuantizeException("cle: no space lies between two weights with positive scaling free (nothing to equalize)");
                    }
                    CrossLayerEqualization.Result r = CrossLayerEqualization.equalize(current, a, 100, 1e-6);
                    current = OrbitAction.apply(current, a, r.element());
                    detail = String.format("%d spaces, %d sweeps, worst weight-range ratio %.3g → %.3g", r.spaces().size(), r.sweeps(),
                            r.worstRatioBefore(), r.worstRatioAfter());
                }
                case Preparation.Smooth s -> {
                    SymmetryAnalysis a = SpaceAnalyzer.analyze(current);
                    SmoothQuant.Result r = SmoothQuant.smooth(current, a, s.alpha(), calibration);
                    if (r.spaces().isEmpty()) throw new QuantizeException("smooth: no scalable space is read by a linear map (nothing to smooth)");
                    current = OrbitAction.apply(current, a, r.element());
                    detail = String.format("%d spaces, max |activation| at their readers %.4g → %.4g", r.spaces().size(),
                            r.maxActivationBefore(), r.maxActivationAfter());
                }
                case Preparation.Rotate r -> {
                    OutlierRotation.Result rot;
                    try {
                        rot = OutlierRotation.run(current, calibration, new OutlierRotation.Config(8, 0), i -> { });
                    } catch (IllegalArgumentException e) {
                        throw new QuantizeException("rotate: " + e.getMessage());
                    }
                    current = rot.rotated();
                    detail = rot.streams().size() + " residual streams rotated";
                }
                case Preparation.BiasAbsorption b -> {
                    BiasAbsorption.Result r = BiasAbsorption.absorb(current, calibration);
                    if (r.absorbed() == 0) throw new QuantizeException("bias-absorption: no Conv/Gemm → ReLU → Conv/Gemm chain with a positive lower bound to absorb");
                    current = r.model();
                    detail = r.absorbed() + " channels absorbed";
                }
            }
            steps.add(p.exact() ? exactStep(p.describe(), detail, before, current, evaluation, reference)
                    : new Step(p.describe(), false, detail, null, RelativeError.inL2Norm(reference.toDoubleArray(), run(current, evaluation).toDoubleArray())));
        }
        QdqWriter.Result baseline = QdqWriter.write(folded, options, calibration);
        QdqWriter.Result prepared = QdqWriter.write(current, options, calibration);
        if (options.biasCorrection()) {
            steps.add(new Step("bias-correction", false, "biases shifted by −ΔW·E[x] (float function changed)", null,
                    RelativeError.inL2Norm(reference.toDoubleArray(), run(prepared.corrected(), evaluation).toDoubleArray())));
        }
        return new Report(chosen, steps, options, figures("float", model, evaluation, reference, labels),
                figures("quantized, no preparation", baseline.quantized(), evaluation, reference, labels),
                figures("prepared float", current, evaluation, reference, labels),
                figures("quantized after preparation", prepared.quantized(), evaluation, reference, labels), current, prepared.quantized(),
                baseline.quantized());
    }

    /**
     * What {@code auto} prepares: CLE where some space lies between two weights with positive scaling free (CNNs,
     * MLPs); otherwise the outlier rotation where a residual stream rotates exactly (pre-norm transformers);
     * otherwise SmoothQuant (α = 0.5) where a scalable space is read by a linear map; otherwise nothing.
     */
    public static List<Preparation> auto(Model folded) {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(folded);
        if (!CrossLayerEqualization.eligible(folded, a).isEmpty()) return List.of(new Preparation.Cle());
        if (!a.rotatableStreams().isEmpty()) return List.of(new Preparation.Rotate());
        if (!CrossLayerEqualization.scalable(folded, a).isEmpty()) return List.of(new Preparation.Smooth(0.5));
        return List.of();
    }

    public static List<Preparation> parsePreparations(String text) { return Preparation.parse(text); }

    private static Step exactStep(String name, String detail, Model before, Model after, Map<String, NdArray> feeds, NdArray reference) {
        VerifyReport v = Verifier.compareInOrt(before, "before " + name, after, "after " + name, feeds, "evaluation inputs", NoiseRule.MOVE);
        return new Step(name, true, detail, v, RelativeError.inL2Norm(reference.toDoubleArray(), run(after, feeds).toDoubleArray()));
    }

    static NdArray run(Model m, Map<String, NdArray> feeds) {
        try (OrtRunner r = new OrtRunner(m)) {
            return r.run(feeds).values().iterator().next();
        }
    }

    private static Figures figures(String label, Model m, Map<String, NdArray> feeds, NdArray reference, long[] labels) {
        NdArray out = run(m, feeds);
        double[] ref = reference.toDoubleArray();
        double[] y = out.toDoubleArray();
        double acc = labels == null || out.rank() != 2 ? Double.NaN : Classification.accuracy(y, (int) out.dim(1), labels);
        return new Figures(label, RelativeError.inL2Norm(ref, y), RelativeError.max(ref, y), acc);
    }
}
