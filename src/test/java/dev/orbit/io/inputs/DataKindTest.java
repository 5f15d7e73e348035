package dev.orbit.io.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.cli.OrbitCommand;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.tensor.NdArray;

/** --data tells its three kinds apart by content, reads images inside the folder only, and says what it found. */
class DataKindTest {
    private static void image(Path file, String format, int w, int h, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        assertTrue(ImageIO.write(img, format, file.toFile()));
    }

    @Test
    void detectsEachKindByContentNotByName(@TempDir Path dir) throws Exception {
        Path npy = dir.resolve("inputs.bin"); // a .npy under another name is still a .npy
        Files.copy(Path.of("src/test/resources/npy/v1-le-f4.npy"), npy);
        assertEquals(DataKind.NPY, DataKind.detect(npy));

        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        Files.write(mnist.resolve("t10k-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1});
        assertEquals(DataKind.MNIST_IDX, DataKind.detect(mnist));

        Path images = Files.createDirectory(dir.resolve("images"));
        image(images.resolve("a.png"), "png", 8, 6, 0xff8000);
        image(images.resolve("b.photo"), "jpeg", 5, 5, 0x0080ff); // a JPEG whatever its extension
        Files.writeString(images.resolve("README.txt"), "not an image");
        assertEquals(DataKind.IMAGE_FOLDER, DataKind.detect(images));

        Path neither = Files.createDirectory(dir.resolve("neither"));
        Files.writeString(neither.resolve("t10k-images-idx3-ubyte"), "text, not IDX");
        var e = assertThrows(ModelFormatException.class, () -> DataKind.detect(neither));
        assertTrue(e.getMessage().contains("neither MNIST IDX files") , e.getMessage());
        Path text = Files.writeString(dir.resolve("x.npy"), "no magic");
        assertThrows(ModelFormatException.class, () -> DataKind.detect(text));
    }

    @Test
    void imagesAreResizedScaledAndNormalisedInNameOrder(@TempDir Path dir) throws Exception {
        image(dir.resolve("1.png"), "png", 7, 3, 0xff0000);
        image(dir.resolve("2.png"), "png", 4, 4, 0x00ff00);
        NdArray x = ImageFolder.read(dir, 10, 4, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.25, 0.5});
        assertEquals(java.util.List.of(2L, 3L, 4L, 4L), java.util.Arrays.stream(x.shape()).boxed().toList());
        assertEquals(1.0, x.getAsDouble(0), 1e-6);          // image 1, red: (1 − 0.5) / 0.5
        assertEquals(-2.0, x.getAsDouble(16), 1e-6);        // image 1, green: (0 − 0.5) / 0.25
        assertEquals(2.0, x.getAsDouble(48 + 16), 1e-6);    // image 2, green: (1 − 0.5) / 0.25
    }

    @Test
    void aMoveVerifiesOnAnImageFolderAndSaysWhatItRead(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectory(dir.resolve("images"));
        for (int i = 0; i < 3; i++) image(images.resolve(i + ".png"), "png", 40, 30, 0x102030 * (i + 1));
        StringWriter out = new StringWriter();
        var cl = OrbitCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("teleport", "src/test/resources/zoo/resnet18_op13.onnx", "-o", dir.resolve("m.onnx").toString(),
                "--data", images.toString(), "--size", "32");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("PNG/JPEG images from " + images) && out.toString().contains("resized to 32x32"), out.toString());
    }
}
