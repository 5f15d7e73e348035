package dev.orbit.train;

import java.util.SplittableRandom;

import dev.orbit.tensor.NdArray;

/** Training-time data augmentation, drawn afresh every epoch from a seeded generator. */
public sealed interface Augmentation {
    /** Returns the features to train on this epoch (the input is never modified). */
    NdArray apply(NdArray features, SplittableRandom rng);

    record None() implements Augmentation {
        @Override public NdArray apply(NdArray features, SplittableRandom rng) { return features; }
    }

    /**
     * Moves every image by a random whole-pixel offset in [−max, max]² (zeros shifted in). Images are the last
     * height·width values of each sample, channels before them.
     */
    record Shift(int max, int height, int width) implements Augmentation {
        public Shift {
            if (max < 0 || height <= 0 || width <= 0) throw new IllegalArgumentException("shift needs max ≥ 0 and a positive image size");
        }

        @Override
        public NdArray apply(NdArray features, SplittableRandom rng) {
            if (max == 0) return features;
            float[] x = features.toFloatArray();
            float[] y = new float[x.length];
            int n = (int) features.dim(0);
            int plane = height * width;
            int perSample = x.length / n;
            if (perSample % plane != 0) throw new IllegalArgumentException("samples of " + perSample + " values are not " + height + "×" + width + " images");
            for (int s = 0; s < n; s++) {
                int dx = rng.nextInt(2 * max + 1) - max;
                int dy = rng.nextInt(2 * max + 1) - max;
                for (int c = 0; c < perSample / plane; c++) {
                    int base = s * perSample + c * plane;
                    for (int i = Math.max(0, dy); i < Math.min(height, height + dy); i++) {
                        System.arraycopy(x, base + (i - dy) * width + Math.max(0, -dx), y, base + i * width + Math.max(0, dx),
                                width - Math.abs(dx));
                    }
                }
            }
            return NdArray.ofFloats(y, features.shape());
        }
    }

    /** "none" or "shift:MAX" for images of the given size. */
    static Augmentation parse(String s, int height, int width) {
        if (s.equals("none")) return new None();
        if (s.startsWith("shift:")) return new Shift(Integer.parseInt(s.substring(6)), height, width);
        throw new IllegalArgumentException("unknown augmentation '" + s + "' (none, shift:MAX)");
    }
}
