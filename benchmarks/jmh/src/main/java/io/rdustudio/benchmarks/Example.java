package io.rdustudio.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Injector;

import io.rdustudio.core.ir.Program;
import io.rdustudio.dfk.DfkStandaloneSetup;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkPrograms;

/**
 * An example parsed, linked and lowered once, for a benchmark's setup: the program, and the syntax
 * tree to lower again (after an edit, or with a constant set).
 */
record Example(Program program, Model model) {

    /** @param path relative to the repository root, where the benchmarks run */
    static Example load(String path) {
        Path file = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " not found: run the benchmark from the repository root");
        }
        Injector injector = new DfkStandaloneSetup().createInjectorAndDoEMFRegistration();
        XtextResourceSet resourceSet = injector.getInstance(XtextResourceSet.class);
        Resource resource = resourceSet.getResource(URI.createFileURI(file.toString()), true);
        var lowered = injector.getInstance(DfkPrograms.class).of(resource);
        if (lowered.hasErrors()) {
            throw new IllegalStateException(path + " does not lower: " + lowered.diagnostics());
        }
        return new Example(lowered.program(), (Model) resource.getContents().get(0));
    }
}
