package dev.orbit.io.inputs;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.ConfinedFolder;
import dev.orbit.tensor.NdArray;

/**
 * A folder of PNG/JPEG images as a float32 batch [N, 3, size, size] (NCHW, RGB): each image read through ImageIO
 * (inside the folder only, links out refused), resized bilinearly to size × size, scaled to [0, 1], then normalised
 * per channel as (x − mean) / std. Files are taken in name order; the first {@code limit}.
 */
public final class ImageFolder {
    private ImageFolder() {}

    public static NdArray read(Path dir, int limit, int size, double[] mean, double[] std) {
        if (size <= 0 || size > 4096) throw new ModelFormatException("--size must be between 1 and 4096, got " + size);
        if (mean.length != 3 || std.length != 3) throw new ModelFormatException("--mean and --std take three values (R,G,B)");
        for (double s : std) if (!(s > 0)) throw new ModelFormatException("--std values must be positive");
        ConfinedFolder folder = ConfinedFolder.of(dir, "the data folder");
        List<Path> files = DataKind.images(folder);
        if (files.isEmpty()) throw new ModelFormatException("the data folder '" + dir + "' has no PNG/JPEG images");
        int n = Math.min(limit, files.size());
        long plane = (long) size * size;
        float[] out = new float[Math.toIntExact(n * 3 * plane)];
        for (int i = 0; i < n; i++) {
            BufferedImage img = load(files.get(i));
            BufferedImage rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, size, size, null);
            g.dispose();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int p = rgb.getRGB(x, y);
                    int[] c = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
                    for (int k = 0; k < 3; k++) out[Math.toIntExact((i * 3L + k) * plane + (long) y * size + x)] = (float) ((c[k] / 255.0 - mean[k]) / std[k]);
                }
            }
        }
        return NdArray.ofFloats(out, n, 3, size, size);
    }

    private static BufferedImage load(Path file) {
        try (InputStream in = Channels.newInputStream(ConfinedFolder.open(file))) {
            BufferedImage img = ImageIO.read(in);
            if (img == null) throw new ModelFormatException("image '" + file + "' cannot be decoded");
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFormatException m) throw m;
            throw new ModelFormatException("image '" + file + "' cannot be read: " + e.getMessage());
        }
    }
}
