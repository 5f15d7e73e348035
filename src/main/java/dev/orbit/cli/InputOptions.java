package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.Inputs;
import dev.orbit.io.inputs.DataKind;
import dev.orbit.verify.InputSpec;
import picocli.CommandLine.Option;

/** The input options shared by every command that runs models: data or random inputs, explicit shapes. */
public final class InputOptions {
    @Option(names = "--data", paramLabel = "PATH",
            description = "Real inputs, told apart by content: an MNIST IDX folder (t10k-images-idx3-ubyte[.gz] + labels), a folder of "
                    + "PNG/JPEG images (see --size, --mean, --std) or a .npy file; 'bundled' for Orbit's own digits.")
    String data;

    @Option(names = "--size", paramLabel = "S", defaultValue = "224", description = "Image folders: resize every image to S x S (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--mean", paramLabel = "R,G,B", split = ",", defaultValue = "0.485,0.456,0.406",
            description = "Image folders: per-channel mean subtracted after scaling to [0,1] (default ${DEFAULT-VALUE}).")
    double[] mean;

    @Option(names = "--std", paramLabel = "R,G,B", split = ",", defaultValue = "0.229,0.224,0.225",
            description = "Image folders: per-channel standard deviation divided by (default ${DEFAULT-VALUE}).")
    double[] std;

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
            case InputSpec.Files f -> Inputs.files(f.path(), f.limit(), f.size(), f.mean(), f.std());
        };
        for (var e : shapeMap().entrySet()) in = in.shape(e.getKey(), e.getValue());
        return in;
    }

    /** Where the inputs come from (for experiment configurations, which keep it as a value). */
    InputSpec spec() {
        if (data != null && random != null) throw new UserError(ExitCodes.USAGE, "give either --data or --random, not both");
        if (data != null && data.equals("bundled")) return new InputSpec.Data(null, samples);
        if (data != null) {
            // the kind is told by content; MNIST keeps its own spec (and its JSON form in experiment configurations)
            Path p = Path.of(data);
            return DataKind.detect(p) == DataKind.MNIST_IDX ? new InputSpec.Data(p, samples) : new InputSpec.Files(p, samples, size, mean, std);
        }
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
