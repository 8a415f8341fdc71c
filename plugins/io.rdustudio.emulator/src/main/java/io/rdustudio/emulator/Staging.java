package io.rdustudio.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The outputs of one run while it is not finished: each lives in a hidden folder next to its target
 * ({@code .NAME.partial-RANDOM}, the same file system, so that the final move is a rename) until
 * {@link #publish()} moves everything into place, or {@link #discard()} deletes it all. A reader
 * never sees half a file, and a run that fails or is cancelled leaves nothing behind.
 */
final class Staging {

    /** A target and the folder its content is written into first. */
    private record Entry(Path target, Path folder, boolean directory) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** A staging folder for the directory {@code target}: files written into it become files of {@code target}. */
    Path directory(Path target) {
        return add(target, true).folder();
    }

    /** Where to write the file that becomes {@code target}. */
    Path file(Path target) {
        Entry e = add(target, false);
        return e.folder().resolve(e.target().getFileName());
    }

    private Entry add(Path target, boolean directory) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new EmulationException("cannot write " + target + ": name a file or folder inside a folder");
        }
        if (directory ? Files.isRegularFile(absolute) : Files.isDirectory(absolute)) {
            throw new EmulationException("cannot write " + target + ": it exists and is a " + (directory ? "file" : "folder")
                    + "; name a " + (directory ? "folder" : "file") + " there instead");
        }
        try {
            Files.createDirectories(parent);
            Entry e = new Entry(absolute, Files.createTempDirectory(parent, "." + absolute.getFileName() + ".partial-"),
                    directory);
            entries.add(e);
            return e;
        } catch (IOException e) {
            throw new EmulationException("cannot write " + target + ": " + reason(e));
        }
    }

    /**
     * Moves every staged file into place and removes the staging folders; returns the files
     * published, in the order they were staged. Not interruptible: once begun, it completes.
     */
    List<Path> publish() {
        List<Path> written = new ArrayList<>();
        try {
            for (Entry e : entries) {
                if (e.directory()) {
                    Files.createDirectories(e.target());
                    for (Path f : list(e.folder())) {
                        Path to = e.target().resolve(f.getFileName());
                        move(f, to);
                        written.add(to);
                    }
                } else {
                    move(e.folder().resolve(e.target().getFileName()), e.target());
                    written.add(e.target());
                }
                Files.delete(e.folder());
            }
        } catch (IOException e) {
            discard();
            throw new EmulationException("cannot write the run's results: " + reason(e));
        }
        entries.clear();
        return List.copyOf(written);
    }

    /** Deletes every staging folder and what it holds; published files are not touched. */
    void discard() {
        for (Entry e : entries) {
            if (!Files.exists(e.folder())) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(e.folder())) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException ignored) {
                // best effort: a folder we cannot delete is one the user can (its name says what it is)
            }
        }
        entries.clear();
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
