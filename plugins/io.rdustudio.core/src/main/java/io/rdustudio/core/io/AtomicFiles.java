package io.rdustudio.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files that appear complete or not at all, the one way every writer of the code base does it
 * (CLI reports and charts, exported deployments, the emulator's staged outputs): the content goes
 * into a hidden temporary file next to the target, on the same file system, which is then renamed
 * over the target. A reader never sees half a file, and a failed write leaves the old file (or
 * nothing) and no temporary behind.
 *
 * <p>The temporary file is created like any other file of the user's (its permissions follow the
 * umask, usually {@code rw-r--r--}), not with {@link Files#createTempFile}'s private
 * {@code rw-------}: the rename keeps them, and a report is not a secret.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Writes {@code text} as UTF-8 to {@code target}, creating its folder (and the folders above)
     * when missing, replacing the file when it exists.
     *
     * @throws IOException when the folder cannot be made or the file cannot be written (the target is untouched)
     */
    public static void writeString(Path target, String text) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        if (folder == null || absolute.getFileName() == null) {
            throw new IOException("cannot write " + target + ": name a file inside a folder");
        }
        Files.createDirectories(folder);
        Path temp = createTemporary(folder, absolute.getFileName().toString());
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            move(temp, absolute);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Moves {@code from} to {@code to}, replacing it: a rename, atomic where the file system offers
     * one (both on one file system, as a temporary next to its target is), else a plain move.
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A new empty file {@code .NAME.RANDOM.tmp} in {@code folder}, with the default permissions. */
    private static Path createTemporary(Path folder, String name) throws IOException {
        while (true) {
            Path candidate = folder.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // another writer's temporary of the same target: draw another name
            }
        }
    }
}
