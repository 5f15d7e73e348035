package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.Inputs;
import dev.orbit.verify.InputSpec;
import picocli.CommandLine.Option;

/** The input options shared by every command that runs models: data or random inputs, explicit shapes. */
public final class InputOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST-format folder (t10k-images-idx3-ubyte[.gz] + labels); 'bundled' for Orbit's own digits.")
    String data;

    @Option(names = "--random", paramLabel = "N", description = "N random samples (default when --data is not given: 16).")
    Integer random;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "500", description = "How many digits to use with --data (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--distribution", defaultValue = "NORMAL", description = "Random inputs: NORMAL (N(0,1)) or UNIFORM (U[-1,1]).")
    InputSpec.Distribution distribution;

    @Option(names = "--input-seed", defaultValue = "0", description = "Seed of the random inputs (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shape", paramLabel = "NAME=d1,d2,...", description = "Concrete shape of an input with dynamic dimensions (repeatable). Without it, axis 0 takes the sample count and any other dynamic axis is an error.")
    List<String> shapes = List.of();

    /** The inputs these options describe, with every --shape applied. */
    Inputs inputs() {
        Inputs in = switch (spec()) {
            case InputSpec.Data d -> d.dir() == null ? Inputs.bundledDigits(d.limit()) : Inputs.data(d.dir(), d.limit());
            case InputSpec.Random r -> Inputs.random(r.samples()).distribution(r.distribution()).seed(r.seed());
        };
        for (var e : shapeMap().entrySet()) in = in.shape(e.getKey(), e.getValue());
        return in;
    }

    /** Where the inputs come from (for experiment configurations, which keep it as a value). */
    InputSpec spec() {
        if (data != null && random != null) throw new UserError(ExitCodes.USAGE, "give either --data or --random, not both");
        if (data != null) return new InputSpec.Data(data.equals("bundled") ? null : Path.of(data), samples);
        return new InputSpec.Random(random == null ? 16 : random, distribution, seed);
    }

    Map<String, long[]> shapeMap() { return parseShapes(shapes); }

    /** {@code NAME=d1,d2,...} options as a map, in the order given. */
    static Map<String, long[]> parseShapes(List<String> shapes) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String s : shapes) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new UserError(ExitCodes.USAGE, "--shape wants NAME=d1,d2,..., got '" + s + "'");
            String[] parts = s.substring(eq + 1).split(",");
            long[] dims = new long[parts.length];
            try {
                for (int i = 0; i < parts.length; i++) dims[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError(ExitCodes.USAGE, "--shape " + s + ": dimensions must be whole numbers");
            }
            m.put(s.substring(0, eq), dims);
        }
        return m;
    }
}
