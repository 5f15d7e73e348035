package dev.orbit.identity;

import dev.orbit.graph.Model;
import dev.orbit.io.idx.MnistData;
import dev.orbit.tensor.NdArray;

/**
 * Digits as a model's input batch: alignment and merging read activations on <b>training</b> digits (the first
 * 2,000 of the bundled 8,000 by default), never on the held-out test digits the experiment evaluates on.
 */
public final class Digits {
    /** Training digits that activation matching, REPAIR and the BatchNorm reset use by default. */
    public static final int DEFAULT_SAMPLES = 2000;

    private Digits() {}

    /** The first {@code n} digits of {@code data}, shaped [n, …] for the model's first input. */
    public static NdArray forModel(Model m, MnistData data, int n) {
        if (n <= 0) throw new IllegalArgumentException("the number of samples must be positive, got " + n);
        MnistData d = data.head(Math.min(n, data.size()));
        var s = m.graph().inputs().getFirst().type().shape();
        if (s == null) throw new IllegalArgumentException("the model's input has no declared shape: digits cannot be fed to it");
        long[] shape = new long[s.rank()];
        long per = 1;
        for (int i = 1; i < s.rank(); i++) {
            if (!s.dim(i).isKnown()) throw new IllegalArgumentException("the model's input dimension " + i + " is not a number: digits cannot be fed to it");
            shape[i] = s.dim(i).size();
            per *= shape[i];
        }
        if (s.rank() < 2 || per != d.images().dim(1)) {
            throw new IllegalArgumentException("the model takes " + per + " values per sample, the digits have " + d.images().dim(1));
        }
        shape[0] = d.size();
        return d.images().reshape(shape);
    }
}
