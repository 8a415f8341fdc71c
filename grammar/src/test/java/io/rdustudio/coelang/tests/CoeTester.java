package io.rdustudio.coelang.tests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;

import com.google.inject.Injector;

import io.rdustudio.coelang.CoeStandaloneSetup;
import io.rdustudio.coelang.coe.Descriptor;
import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.lowering.CoeDeployments;
import io.rdustudio.dfk.tests.DfkTester;

/**
 * Loads inline descriptors and DFK programs into one resource set (so a descriptor's programs
 * resolve) and reports a file's issues as {@code line:col severity: message} lines, the form tests
 * assert on.
 */
public final class CoeTester {

    private static final Injector INJECTOR = createInjector();

    /**
     * DFK's injector is {@link DfkTester}'s, created first: a second DFK injector would register a
     * second DFK validator, and DFK files would be validated twice.
     */
    private static Injector createInjector() {
        DfkTester.instance(Injector.class);
        return new CoeStandaloneSetup().createInjectorAndDoEMFRegistration();
    }

    private final XtextResourceSet resourceSet = INJECTOR.getInstance(XtextResourceSet.class);

    /** An instance from the language's injector. */
    public static <T> T instance(Class<T> type) {
        return INJECTOR.getInstance(type);
    }

    public static CoeTester of(String coe) {
        return new CoeTester().file("main.coe", coe);
    }

    /** Adds a file (a .coe or a .dfk) under a fixed in-memory root. */
    public CoeTester file(String path, String text) {
        Resource r = resourceSet.createResource(uri(path));
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Adds a file from disk under its own file URI, so its relative paths resolve on disk. */
    public CoeTester disk(Path path) {
        resourceSet.getResource(fileUri(path), true);
        return this;
    }

    public static URI uri(String path) {
        return URI.createURI("inmemory:/ws/" + path);
    }

    public static URI fileUri(Path path) {
        return URI.createFileURI(path.toAbsolutePath().normalize().toString());
    }

    public Resource resource(URI uri) {
        return resourceSet.getResource(uri, true);
    }

    public Descriptor descriptor() {
        return (Descriptor) resource(uri("main.coe")).getContents().get(0);
    }

    public CoeAnalysis analysis() {
        return analysis(uri("main.coe"));
    }

    public CoeAnalysis analysis(URI uri) {
        return INJECTOR.getInstance(CoeDeployments.class).of(resource(uri));
    }

    public List<String> issues() {
        return issues(uri("main.coe"));
    }

    /** Every issue of a file, sorted by position, as {@code line:col severity: message}. */
    public List<String> issues(URI uri) {
        IResourceValidator validator = INJECTOR.getInstance(IResourceValidator.class);
        Resource resource = resource(uri);
        List<Issue> issues = new ArrayList<>(validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl));
        issues.sort(Comparator.comparing(Issue::getOffset, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<String> lines = new ArrayList<>();
        for (Issue i : issues) {
            lines.add(i.getLineNumber() + ":" + i.getColumn() + " " + i.getSeverity().name().toLowerCase() + ": "
                    + i.getMessage());
        }
        return lines;
    }
}
