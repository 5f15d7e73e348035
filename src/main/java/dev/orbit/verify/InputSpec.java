package dev.orbit.verify;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where verification inputs come from. Written to JSON with a {@code "kind"} field ({@code data} or {@code random}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = InputSpec.Data.class, name = "data"), @JsonSubTypes.Type(value = InputSpec.Random.class, name = "random"),
        @JsonSubTypes.Type(value = InputSpec.Files.class, name = "files")})
public sealed interface InputSpec {
    /** MNIST-format digits from a folder (test split), or the bundled digits when {@code dir} is null. */
    record Data(Path dir, int limit) implements InputSpec {}

    /**
     * A .npy array (its first {@code limit} samples along axis 0) or a folder of PNG/JPEG images (resized to
     * size × size, scaled to [0, 1], normalised by mean and std per RGB channel): {@code DataKind} tells them apart.
     */
    record Files(Path path, int limit, int size, double[] mean, double[] std) implements InputSpec {}

    /** {@code samples} random inputs from a declared distribution with a seed. */
    record Random(int samples, Distribution distribution, long seed) implements InputSpec {}

    enum Distribution {
        /** Standard normal N(0, 1). */
        NORMAL,
        /** Uniform on [-1, 1]. */
        UNIFORM
    }

    default String describe() {
        return switch (this) {
            case Data(Path dir, int limit) -> (dir == null ? "bundled MNIST test digits" : "MNIST digits from " + dir)
                    + " (first " + limit + ")";
            case Files f -> switch (dev.orbit.io.inputs.DataKind.detect(f.path())) {
                case NPY -> "a .npy array from " + f.path() + " (first " + f.limit() + " samples)";
                case IMAGE_FOLDER -> "PNG/JPEG images from " + f.path() + " (first " + f.limit() + ", resized to " + f.size() + "x" + f.size()
                        + ", mean " + java.util.Arrays.toString(f.mean()) + ", std " + java.util.Arrays.toString(f.std()) + ")";
                case MNIST_IDX -> "MNIST digits from " + f.path() + " (first " + f.limit() + ")";
            };
            case Random(int n, Distribution d, long seed) -> n + " random samples, "
                    + (d == Distribution.NORMAL ? "N(0,1)" : "U[-1,1]") + ", seed " + seed;
        };
    }
}
