package io.rdustudio.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void makesTheMissingFoldersAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("a/b/report.json");

        AtomicFiles.writeString(target, "{}\n");

        assertEquals("{}\n", Files.readString(target));
        assertEquals(List.of(target), files(dir));
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old");

        AtomicFiles.writeString(target, "new");

        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), files(dir));
    }

    /** Like any file the user makes (the umask's), not createTempFile's private rw-------. */
    @Test
    void hasTheDefaultPermissionsOfANewFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path target = dir.resolve("written.txt");

        AtomicFiles.writeString(target, "text");

        Set<PosixFilePermission> written = Files.getPosixFilePermissions(target);
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(written));
    }

    @Test
    void aFolderInTheWayFailsAndLeavesItAlone() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("taken/inner"));
        Path target = dir.resolve("taken");

        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "text"));

        assertTrue(Files.isDirectory(folder));
        assertEquals(List.of(), files(dir));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
