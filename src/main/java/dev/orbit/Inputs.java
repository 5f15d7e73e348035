package dev.orbit;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;

/**
 * The inputs a verification runs both models on. Axis 0 of every input takes the sample count; any other dynamic
 * dimension needs an explicit {@code shape(name, dims...)}, or Orbit names the axis and stops ({@code ShapeException}).
 *
 * <pre>{@code
 * Inputs.random(16)                                            // N(0,1), seed 0: the command line's default
 * Inputs.random(64).distribution(InputSpec.Distribution.UNIFORM).seed(3).shape("tokens", 64, 12, 32)
 * Inputs.bundledDigits(500)                                    // Orbit's own held-out MNIST digits
 * Inputs.data(Path.of("mnist"), 500)                           // t10k-images-idx3-ubyte[.gz] and labels in a folder
 * }</pre>
 */
public sealed interface Inputs {
    /** {@code samples} random samples, N(0,1), seed 0. */
    static Random random(int samples) { return new Random(samples, InputSpec.Distribution.NORMAL, 0, Map.of()); }

    /** The first {@code samples} test digits of an MNIST-format folder, pixels scaled by 1/255. */
    static Digits data(Path dir, int samples) {
        if (dir == null) throw new IllegalArgumentException("give a folder, or use Inputs.bundledDigits");
        return new Digits(dir, samples, Map.of());
    }

    /** The first {@code samples} of the 2,000 bundled held-out MNIST digits. */
    static Digits bundledDigits(int samples) { return new Digits(null, samples, Map.of()); }

    /**
     * What {@code path} holds, told apart by content: a .npy array, an MNIST IDX folder or a folder of PNG/JPEG images
     * (resized to size × size, scaled to [0, 1], normalised by the per-channel RGB mean and std).
     */
    static FromFiles files(Path path, int samples, int size, double[] mean, double[] std) {
        return new FromFiles(new InputSpec.Files(path, samples, size, mean.clone(), std.clone()), Map.of());
    }

    /** Arrays the caller made, by input name, with a description for reports. */
    static Given of(Map<String, NdArray> feeds, String description) { return new Given(feeds, description); }

    /** The same inputs with a concrete shape for one model input (dims of that input, batch axis included). */
    Inputs shape(String input, long... dims);

    /** The concrete arrays for one model. */
    Map<String, NdArray> feeds(Network model);

    /** How reports name these inputs. */
    String describe();

    record Random(int samples, InputSpec.Distribution distribution, long seed, Map<String, long[]> shapes) implements Inputs {
        public Random {
            shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        }

        public Random distribution(InputSpec.Distribution d) { return new Random(samples, d, seed, shapes); }

        public Random seed(long s) { return new Random(samples, distribution, s, shapes); }

        @Override
        public Random shape(String input, long... dims) { return new Random(samples, distribution, seed, with(shapes, input, dims)); }

        @Override
        public Map<String, NdArray> feeds(Network model) { return InputFactory.make(model.ir(), spec(), shapes); }

        @Override
        public String describe() { return spec().describe(); }

        InputSpec spec() { return new InputSpec.Random(samples, distribution, seed); }
    }

    /** MNIST-format digits: a folder's test split, or the bundled digits when {@code dir} is null. */
    record Digits(Path dir, int samples, Map<String, long[]> shapes) implements Inputs {
        public Digits {
            shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        }

        @Override
        public Digits shape(String input, long... dims) { return new Digits(dir, samples, with(shapes, input, dims)); }

        @Override
        public Map<String, NdArray> feeds(Network model) { return InputFactory.make(model.ir(), spec(), shapes); }

        @Override
        public String describe() { return spec().describe(); }

        InputSpec spec() { return new InputSpec.Data(dir, samples); }
    }

    /** A .npy file, an MNIST IDX folder or an image folder (docs/VERIFICATION.md). */
    record FromFiles(InputSpec.Files spec, Map<String, long[]> shapes) implements Inputs {
        public FromFiles {
            shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        }

        @Override
        public FromFiles shape(String input, long... dims) { return new FromFiles(spec, with(shapes, input, dims)); }

        @Override
        public Map<String, NdArray> feeds(Network model) { return InputFactory.make(model.ir(), spec, shapes); }

        @Override
        public String describe() { return spec.describe(); }
    }

    /** Arrays given by the caller; they already have their shapes. */
    record Given(Map<String, NdArray> arrays, String description) implements Inputs {
        public Given {
            arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
            arrays.forEach(InputFactory::checkFinite);
        }

        @Override
        public Inputs shape(String input, long... dims) {
            throw new UnsupportedOperationException("given arrays already have their shapes");
        }

        @Override
        public Map<String, NdArray> feeds(Network model) { return arrays; }

        @Override
        public String describe() { return description; }
    }

    private static Map<String, long[]> with(Map<String, long[]> shapes, String input, long[] dims) {
        Map<String, long[]> m = new LinkedHashMap<>(shapes);
        m.put(input, dims.clone());
        return m;
    }
}
