package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;

/**
 * The weight spectra of a whole model: one {@link LayerSpectrum} per weight matrix, the layers that give none (and
 * why), and WeightWatcher's model summary — the mean over layers of log_norm, alpha, alpha_weighted,
 * log_alpha_norm, log_spectral_norm, stable_rank and mp_softrank.
 */
public record ModelSpectrum(List<LayerSpectrum> layers, List<WeightMatrices.Skipped> skipped, Map<String, Double> summary) {
    /** Layer names rejected because their weights hold NaN or infinity. */
    public static final class NonFiniteWeightsException extends ArithmeticException {
        public NonFiniteWeightsException(String message) { super(message); }
    }

    static final List<String> SUMMARY = List.of("log_norm", "alpha", "alpha_weighted", "log_alpha_norm",
            "log_spectral_norm", "stable_rank", "mp_softrank");

    public static ModelSpectrum of(Model model, EsdOptions options) {
        return of(model, options, done -> {});
    }

    /** {@code progress} hears the number of layers done. */
    public static ModelSpectrum of(Model model, EsdOptions options, java.util.function.IntConsumer progress) {
        WeightMatrices.Found found = WeightMatrices.find(model);
        List<LayerSpectrum> layers = new ArrayList<>();
        List<WeightMatrices.Skipped> skipped = new ArrayList<>(found.skipped());
        int done = 0;
        for (WeightMatrix w : found.matrices()) {
            NdArray values = model.graph().parameter(w.parameter());
            for (long i = 0; i < values.size(); i++) {
                if (!Double.isFinite(values.getAsDouble(i))) {
                    throw new NonFiniteWeightsException("the weight '" + w.parameter() + "' of layer '" + w.layer()
                            + "' holds NaN or infinity");
                }
            }
            try {
                layers.add(LayerSpectrum.of(w, values, options));
            } catch (IllegalArgumentException e) { // an all-zero weight, or no eigenvalue above the power-law floor
                skipped.add(new WeightMatrices.Skipped(w.layer(), w.op(), e.getMessage()));
            }
            progress.accept(++done);
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        if (!layers.isEmpty()) {
            for (String key : SUMMARY) summary.put(key, layers.stream().mapToDouble(l -> l.metrics().get(key)).average().orElseThrow());
        }
        return new ModelSpectrum(List.copyOf(layers), List.copyOf(skipped), summary);
    }

    /** How many weight matrices a model has (for progress bars). */
    public static int count(Model model) { return WeightMatrices.find(model).matrices().size(); }
}
