package dev.orbit.io.idx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.ConfinedFolder;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.tensor.NdArray;

/**
 * A split of MNIST-format digits: images as float32 [n, 784] scaled to [0, 1] (pixel/255), labels as int64.
 * The bundled copy (8,000 train / 2,000 test digits, see data/mnist-10k/README.md) is inside the jar, so
 * Orbit runs with no data on disk.
 */
public record MnistData(NdArray images, long[] labels) {
    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) { this.prefix = prefix; }
    }

    public int size() { return labels.length; }

    /** The bundled digits. */
    public static MnistData bundled(Split split) {
        String base = "/data/mnist-10k/" + split.prefix;
        try (InputStream img = resource(base + "-images-idx3-ubyte.gz");
             InputStream lab = resource(base + "-labels-idx1-ubyte.gz")) {
            return of(IdxReader.read(img, base + " images"), IdxReader.read(lab, base + " labels"));
        } catch (IOException e) {
            throw new IllegalStateException("bundled MNIST data unreadable", e);
        }
    }

    /**
     * Reads a folder holding {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]. The files must lie inside the
     * folder: a symbolic link that leads elsewhere is refused ({@link ConfinedFolder}).
     */
    public static MnistData fromDirectory(Path dir, Split split) {
        if (!Files.isDirectory(dir)) throw new ModelFormatException("data folder '" + dir + "' does not exist");
        ConfinedFolder folder = ConfinedFolder.of(dir, "the data folder");
        Path images = find(folder, dir, split.prefix + "-images-idx3-ubyte");
        Path labels = find(folder, dir, split.prefix + "-labels-idx1-ubyte");
        return of(IdxReader.read(images), IdxReader.read(labels));
    }

    private static Path find(ConfinedFolder folder, Path dir, String stem) {
        for (String name : new String[] {stem + ".gz", stem}) {
            if (folder.contains(name, "data file")) return folder.resolve(name, "data file");
        }
        throw new ModelFormatException("data folder '" + dir + "' has no " + stem + "[.gz]");
    }

    private static MnistData of(NdArray images, NdArray labels) {
        if (images.rank() < 2 || labels.rank() != 1 || images.dim(0) != labels.dim(0)) {
            throw new ModelFormatException("MNIST images " + images + " and labels " + labels + " do not match");
        }
        if (labels.dtype().isFloating()) throw new ModelFormatException("MNIST labels must be integers, not " + labels.dtype());
        // pixels become float32: four bytes per value, whatever the file stored
        ReadLimits.current().checkBytes(Math.multiplyExact(images.size(), 4L), "MNIST images as float32");
        if (images.size() > Integer.MAX_VALUE - 8) {
            throw new LimitExceededException("MNIST images hold " + images.size() + " values, more than one array holds");
        }
        int n = (int) images.dim(0);
        int features = (int) (images.size() / n);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) x[i] = (float) (images.getAsDouble(i) / 255.0);
        long[] y = labels.toLongArray();
        return new MnistData(NdArray.ofFloats(x, n, features), y);
    }

    private static InputStream resource(String path) {
        InputStream in = MnistData.class.getResourceAsStream(path);
        if (in == null) throw new IllegalStateException("bundled resource " + path + " is missing from the jar");
        return in;
    }

    /** The first n samples (or all). */
    public MnistData head(int n) {
        if (n >= size()) return this;
        long features = images.dim(1);
        float[] all = images.toFloatArray();
        float[] x = java.util.Arrays.copyOf(all, (int) (n * features));
        return new MnistData(NdArray.ofFloats(x, n, features), java.util.Arrays.copyOf(labels, n));
    }
}
