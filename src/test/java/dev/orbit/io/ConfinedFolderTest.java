package dev.orbit.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.graph.ModelFormatException;

class ConfinedFolderTest {
    @TempDir
    Path tmp;

    @Test
    void resolvesOnlyRegularFilesInside() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d/sub"));
        Files.writeString(dir.resolve("a.bin"), "a");
        ConfinedFolder f = ConfinedFolder.of(tmp.resolve("d"), "the folder");
        assertEquals(dir.resolve("a.bin").toRealPath(), f.resolve("sub/a.bin", "test"));
        assertEquals(dir.resolve("a.bin").toRealPath(), f.resolve("./sub//a.bin", "test"));
        assertTrue(f.contains("sub/a.bin", "test"));
        assertFalse(f.contains("sub/b.bin", "test"));
        assertThrows(ModelFormatException.class, () -> f.resolve("sub", "test"));       // a folder
        assertThrows(ModelFormatException.class, () -> f.resolve("missing", "test"));
    }

    @Test
    void refusesEveryWayOut() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(tmp.resolve("secret"), "s");
        Files.createSymbolicLink(d.resolve("up"), tmp);
        Files.createSymbolicLink(d.resolve("dangling"), tmp.resolve("nothing"));
        ConfinedFolder f = ConfinedFolder.of(d, "the folder");
        for (String name : new String[] {"../secret", "a/../../secret", "..\\secret", "/etc/passwd", "\\server\\share",
                "C:\\secret", "", ".", "./", "up/secret", "dangling", "nul\0byte"}) {
            assertThrows(UnsafePathException.class, () -> f.resolve(name, "test"), name);
        }
    }

    @Test
    void aFolderReachedThroughALinkIsItsRealSelf() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.writeString(real.resolve("w.bin"), "w");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        // the folder the user names may itself be a link: its files are inside its real path
        assertEquals(real.resolve("w.bin").toRealPath(), ConfinedFolder.of(link, "the folder").resolve("w.bin", "test"));
    }
}
