package dev.orbit.verify;

import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where verification inputs come from. Written to JSON with a {@code "kind"} field ({@code data} or {@code random}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = InputSpec.Data.class, name = "data"), @JsonSubTypes.Type(value = InputSpec.Random.class, name = "random")})
public sealed interface InputSpec {
    /** MNIST-format digits from a folder (test split), or the bundled digits when {@code dir} is null. */
    record Data(Path dir, int limit) implements InputSpec {}

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
            case Random(int n, Distribution d, long seed) -> n + " random samples, "
                    + (d == Distribution.NORMAL ? "N(0,1)" : "U[-1,1]") + ", seed " + seed;
        };
    }
}
