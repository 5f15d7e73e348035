package dev.orbit.io.inputs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.ConfinedFolder;

/**
 * What a {@code --data} path holds, told apart by content, never by the name alone: a {@code .npy} file (the
 * \x93NUMPY magic), an MNIST IDX folder (a t10k-images-idx3-ubyte[.gz] whose first bytes are the IDX magic), or a
 * folder of images (regular files starting with the PNG or JPEG signature; other files are skipped and counted).
 */
public enum DataKind {
    NPY("a .npy array"), MNIST_IDX("an MNIST IDX folder"), IMAGE_FOLDER("a folder of PNG/JPEG images");

    public final String description;

    DataKind(String description) { this.description = description; }

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    /** Every IDX file opens with two zero bytes, then its element type and rank; the reader checks the type. */
    private static final byte[] IDX = {0, 0};

    /** Detects what {@code path} holds; a one-line ModelFormatException when it is none of the three. */
    public static DataKind detect(Path path) {
        if (!Files.exists(path)) throw new ModelFormatException("--data '" + path + "' does not exist");
        if (Files.isRegularFile(path)) {
            if (startsWith(lead(path, 8), NPY_MAGIC)) return NPY;
            throw new ModelFormatException("--data '" + path + "' is a file but not a .npy array (no \\x93NUMPY magic); give a .npy file, an MNIST IDX folder or an image folder");
        }
        ConfinedFolder folder = ConfinedFolder.of(path, "the data folder");
        for (String name : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"}) {
            if (!folder.contains(name, "data file")) continue;
            byte[] b = lead(folder.resolve(name, "data file"), 4);
            if (startsWith(b, GZIP) || startsWith(b, IDX)) return MNIST_IDX;
        }
        if (!images(folder).isEmpty()) return IMAGE_FOLDER;
        throw new ModelFormatException("--data folder '" + path + "' holds neither MNIST IDX files (t10k-images-idx3-ubyte[.gz]) "
                + "nor PNG/JPEG images");
    }

    /** The image files of a folder (by their signature), sorted by name. */
    static List<Path> images(ConfinedFolder folder) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder.root())) {
            for (Path p : s.sorted().toList()) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                Path real = folder.resolve(p.getFileName().toString(), "image");
                byte[] b = lead(real, 4);
                if (startsWith(b, PNG) || startsWith(b, JPEG)) out.add(real);
            }
        } catch (IOException e) {
            throw new ModelFormatException("cannot list the data folder '" + folder.root() + "': " + e.getMessage());
        }
        return out;
    }

    private static byte[] lead(Path file, int n) {
        try (InputStream in = Channels.newInputStream(ConfinedFolder.open(file))) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read '" + file + "': " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }
}
