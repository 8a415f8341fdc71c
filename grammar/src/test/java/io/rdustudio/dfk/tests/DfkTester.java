package io.rdustudio.dfk.tests;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;

import com.google.inject.Injector;

import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkPrograms;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.dfk.validation.AnalysisFindings;

/**
 * Loads inline DFK files into one resource set (so imports resolve between them) and reports
 * issues as {@code line:col severity: message} lines, the form tests assert on.
 */
public final class DfkTester {

    private static final Injector INJECTOR = createInjector();

    /** The injector, with the EMF registries as it left them (the provider stashes them otherwise). */
    private static Injector createInjector() {
        DfkInjectorProvider provider = new DfkInjectorProvider();
        provider.setupRegistry();
        return provider.getInjector();
    }

    private final XtextResourceSet resourceSet = INJECTOR.getInstance(XtextResourceSet.class);

    /** Adds a file; the path is relative to a fixed in-memory root. */
    public DfkTester file(String path, String text) {
        Resource r = resourceSet.createResource(URI.createURI("inmemory:/ws/" + path));
        try {
            r.load(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), Map.of());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Adds a file from disk under its own file URI, so its relative imports resolve on disk. */
    public DfkTester disk(java.nio.file.Path path) {
        resourceSet.getResource(URI.createFileURI(path.toAbsolutePath().normalize().toString()), true);
        return this;
    }

    /** The syntax tree of a file added with {@link #disk}. */
    public Model model(java.nio.file.Path path) {
        return (Model) resourceSet.getResource(URI.createFileURI(path.toAbsolutePath().normalize().toString()), true)
                .getContents().get(0);
    }

    public List<String> issues(java.nio.file.Path path) {
        return issues(URI.createFileURI(path.toAbsolutePath().normalize().toString()));
    }

    public LoweringResult lowered(java.nio.file.Path path) {
        return INJECTOR.getInstance(DfkPrograms.class)
                .of(resourceSet.getResource(URI.createFileURI(path.toAbsolutePath().normalize().toString()), true));
    }

    /** An instance from the language's injector (its singletons are the ones the lowering uses). */
    public static <T> T instance(Class<T> type) {
        return INJECTOR.getInstance(type);
    }

    public static DfkTester of(String text) {
        return new DfkTester().file("main.dfk", text);
    }

    public Resource resource(String path) {
        return resourceSet.getResource(URI.createURI("inmemory:/ws/" + path), true);
    }

    /** Every issue of a file, sorted by position, as {@code line:col severity: message}. */
    public List<String> issues(String path) {
        return issues(URI.createURI("inmemory:/ws/" + path));
    }

    private List<String> issues(URI uri) {
        return lines(validate(uri));
    }

    private List<Issue> validate(URI uri) {
        IResourceValidator validator = INJECTOR.getInstance(IResourceValidator.class);
        Resource resource = resourceSet.getResource(uri, true);
        List<Issue> issues = new ArrayList<>(validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl));
        issues.sort(Comparator.comparing(Issue::getOffset, Comparator.nullsFirst(Comparator.naturalOrder())));
        return issues;
    }

    private static List<String> lines(List<Issue> issues) {
        List<String> lines = new ArrayList<>();
        for (Issue i : issues) {
            lines.add(i.getLineNumber() + ":" + i.getColumn() + " " + i.getSeverity().name().toLowerCase() + ": "
                    + i.getMessage());
        }
        return lines;
    }

    /**
     * The errors and warnings of a file, as {@link #issues()} gives them, except the analysis's
     * advice: fusion hints (informations) and bandwidth bottlenecks (warnings that a program which
     * is correct has too; {@code AnalysisFindingsTest} covers them). What "checks clean" means.
     */
    public List<String> problems(String path) {
        return problems(URI.createURI("inmemory:/ws/" + path));
    }

    public List<String> problems(java.nio.file.Path path) {
        return problems(URI.createFileURI(path.toAbsolutePath().normalize().toString()));
    }

    public List<String> problems() {
        return problems("main.dfk");
    }

    private List<String> problems(URI uri) {
        return lines(validate(uri).stream().filter(i -> i.getSeverity() != Severity.INFO)
                .filter(i -> !AnalysisFindings.BANDWIDTH_BOUND.equals(i.getCode())).toList());
    }

    public List<String> issues() {
        return issues("main.dfk");
    }

    public LoweringResult lowered(String path) {
        return INJECTOR.getInstance(DfkPrograms.class).of(resource(path));
    }

    public LoweringResult lowered() {
        return lowered("main.dfk");
    }

    public Model model() {
        return (Model) resource("main.dfk").getContents().get(0);
    }
}
