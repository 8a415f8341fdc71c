package io.rdustudio.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.impl.FileURIHandlerImpl;

/**
 * Refuses to open files larger than a limit, for every file a resource set loads (the ones named
 * on the command line and the ones reached through imports alike). Parsing costs about 4 s and
 * 220 bytes of memory per byte of DFK, so a huge file would otherwise run for minutes or exhaust
 * the heap; a program that large is better split into files that import each other.
 */
final class SizeLimitedFileHandler extends FileURIHandlerImpl {

    private final long maxBytes;
    private final Set<URI> refused;

    /** @param refused collects the URIs of the files refused, for the caller to report */
    SizeLimitedFileHandler(long maxBytes, Set<URI> refused) {
        this.maxBytes = maxBytes;
        this.refused = refused;
    }

    @Override
    public InputStream createInputStream(URI uri, Map<?, ?> options) throws IOException {
        Path path = Path.of(uri.toFileString());
        if (Files.isRegularFile(path) && Files.size(path) > maxBytes) {
            refused.add(uri);
            throw new IOException(path + " is larger than " + maxBytes + " bytes");
        }
        return super.createInputStream(uri, options);
    }
}
