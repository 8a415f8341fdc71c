package io.rdustudio.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;

import com.google.inject.Injector;

import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.dfk.DfkStandaloneSetup;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.dfk.lowering.DfkPrograms;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.dfk.validation.TargetSelection;

/**
 * Checks DFK files the way {@code dfk check} does: parses each file and everything it imports into
 * one resource set, validates every one of them completely (syntax, names, the language's own
 * checks) and returns the problems as plain data. It never prints and never exits; the CLI turns
 * the result into text, JSON or SARIF.
 *
 * <p><b>Target profile.</b> The checks read the profile from the language's {@link TargetSelection}
 * (a singleton of the one injector this class creates per process); {@link #check} selects the
 * runner's profile there before validating.
 *
 * <p><b>Bad input.</b> Xtext's parser and the validators recurse over nested expressions, so the
 * whole check runs on one thread with a {@value #CHECK_STACK_MEGABYTES} MB stack. A file nested so
 * deeply that even this overflows gets one diagnostic ({@value #NESTING_CODE}) at its first line;
 * the run goes on with the other files.
 */
public final class CheckRunner {

    /** Code of the diagnostic given to a file nested too deeply to check. */
    public static final String NESTING_CODE = "dfk.nesting-too-deep";
    /** Code given to syntax errors (Xtext calls them {@code org.eclipse.xtext.diagnostics.Diagnostic.Syntax}). */
    public static final String SYNTAX_CODE = "dfk.syntax";
    /** Code given to names that refer to nothing visible (Xtext's linking diagnostics). */
    public static final String UNKNOWN_NAME_CODE = "dfk.unknown-name";
    /** Code given to an issue that a check reported without a code. */
    public static final String UNCODED_CODE = "dfk.check";
    /** Code given when a check itself failed (a bug in dfk, not in the file). */
    public static final String CHECK_FAILED_CODE = "dfk.internal";
    /** Code of the diagnostic given to a file too large to check. */
    public static final String TOO_LARGE_CODE = "dfk.file-too-large";

    /** EMF's message when a validator throws; the exception itself is logged to stderr. */
    private static final String EMF_VALIDATOR_FAILED = "Error executing EValidator";

    static final int CHECK_STACK_MEGABYTES = 512;
    /** Files above this size are not parsed (see {@link SizeLimitedFileHandler}). */
    static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

    private static final String DFK_EXTENSION = "dfk";

    /**
     * A checked entry file and its lowered program, for the commands that analyse it.
     *
     * @param check   the check of the file and its imports, against the profile chosen
     * @param program the lowered program; null when the file did not lower (the check says why)
     * @param relower lowers the entry file again with some of its top-level constants set
     *                ({@link DfkLowering#lower(Model, Map)}: another KV length for each step of a
     *                multi-step run), on a thread with the checker's stack; null when the file did not lower
     */
    public record LoadedProgram(CheckResult check, Program program,
            Function<Map<String, ? extends Number>, LoweringResult> relower) {
    }

    private final Function<Program, TargetProfile> targetFor;
    private final boolean lowerEntryFile;
    private final boolean analysisHints;
    private final Path workingDirectory;

    /**
     * @param target           the profile every check uses; reports name it
     * @param workingDirectory where relative file names resolve and against which imported files
     *                         are named in reports
     */
    public CheckRunner(TargetProfile target, Path workingDirectory) {
        this(target, workingDirectory, false);
    }

    /** @param analysisHints also report the analyses' findings: fusion hints, memory-plan failures */
    public CheckRunner(TargetProfile target, Path workingDirectory, boolean analysisHints) {
        this(program -> target, false, analysisHints, workingDirectory);
    }

    private CheckRunner(Function<Program, TargetProfile> targetFor, boolean lowerEntryFile, boolean analysisHints,
            Path workingDirectory) {
        this.targetFor = targetFor;
        this.lowerEntryFile = lowerEntryFile;
        this.analysisHints = analysisHints;
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /**
     * Checks one file as {@link #check} does and lowers it, for the commands that analyse a program.
     * The profile is chosen after lowering and before validating: {@code targetFor} gets the lowered
     * program (null when it did not lower), so a default may depend on the schedule's socket count.
     */
    public static LoadedProgram load(String fileName, Path workingDirectory, Function<Program, TargetProfile> targetFor) {
        return new CheckRunner(targetFor, true, false, workingDirectory).run(List.of(fileName));
    }

    /**
     * Checks the given files and what they import. The caller has made sure each exists, is a
     * regular file and ends in {@code .dfk} (the CLI reports those as usage errors).
     *
     * @param fileNames the files as the user named them, relative to the working directory or absolute
     */
    public CheckResult check(List<String> fileNames) {
        return run(fileNames).check();
    }

    private LoadedProgram run(List<String> fileNames) {
        return onLargeStack(() -> checkOnThisThread(fileNames));
    }

    /** Runs {@code body} on a thread with a {@value #CHECK_STACK_MEGABYTES} MB stack and waits for it. */
    private static <T> T onLargeStack(Supplier<T> body) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                result.set(body.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "dfk-check", (long) CHECK_STACK_MEGABYTES * 1024 * 1024);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking", e);
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
        return result.get();
    }

    private LoadedProgram checkOnThisThread(List<String> fileNames) {
        XtextResourceSet resourceSet = Language.INJECTOR.getInstance(XtextResourceSet.class);
        prepare(resourceSet);
        Set<URI> tooLarge = new LinkedHashSet<>();
        resourceSet.getURIConverter().getURIHandlers().add(0, new SizeLimitedFileHandler(MAX_FILE_BYTES, tooLarge));

        Map<URI, String> displayNames = new LinkedHashMap<>();
        for (String name : fileNames) {
            displayNames.putIfAbsent(uriOf(workingDirectory.resolve(name)), name.replace('\\', '/'));
        }
        List<CheckDiagnostic> diagnostics = new ArrayList<>();
        Set<URI> overflowed = new HashSet<>();
        for (URI uri : displayNames.keySet()) {
            try {
                resourceSet.getResource(uri, true);
            } catch (RuntimeException | StackOverflowError e) {
                if (tooLarge.contains(uri)) {
                    continue; // reported below, with the imported files refused for the same reason
                }
                if (!causedByStackOverflow(e)) {
                    throw e;
                }
                overflowed.add(uri);
                diagnostics.add(nestedTooDeeply(displayNames.get(uri)));
            }
        }

        Program program = null;
        Function<Map<String, ? extends Number>, LoweringResult> relower = null;
        URI entry = displayNames.keySet().iterator().next();
        if (lowerEntryFile && !overflowed.contains(entry) && !tooLarge.contains(entry)) {
            Resource resource = resourceSet.getResource(entry, false);
            program = lowered(resource);
            if (program != null && resource.getContents().get(0) instanceof Model model) {
                relower = overrides -> onLargeStack(() -> DfkLowering.lower(model, overrides));
            }
        }
        TargetProfile target = targetFor.apply(program);
        TargetSelection selection = Language.INJECTOR.getInstance(TargetSelection.class);
        selection.select(target);
        selection.analysisHints(analysisHints);

        // Validating a file links it, which loads the files it imports: the list grows as we go.
        List<String> checkedFiles = new ArrayList<>(displayNames.values());
        List<Resource> resources = resourceSet.getResources();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            URI uri = resource.getURI();
            if (overflowed.contains(uri) || tooLarge.contains(uri) || !isCheckable(resource)) {
                continue;
            }
            String file = displayNames.computeIfAbsent(uri, this::displayNameOfImported);
            if (!checkedFiles.contains(file)) {
                checkedFiles.add(file);
            }
            try {
                diagnostics.addAll(validate((XtextResource) resource, file));
            } catch (RuntimeException | StackOverflowError e) {
                if (!causedByStackOverflow(e)) {
                    throw e;
                }
                overflowed.add(uri);
                diagnostics.add(nestedTooDeeply(file));
            }
        }
        for (URI uri : tooLarge) {
            String file = displayNames.computeIfAbsent(uri, this::displayNameOfImported);
            if (!checkedFiles.contains(file)) {
                checkedFiles.add(file);
            }
            diagnostics.add(tooLarge(file, uri));
        }
        return new LoadedProgram(new CheckResult(checkedFiles, diagnostics, target), program, relower);
    }

    /** The lowered program of {@code resource}; null when it did not lower or nested too deeply. */
    private static Program lowered(Resource resource) {
        if (resource == null) {
            return null;
        }
        try {
            return Language.INJECTOR.getInstance(DfkPrograms.class).of(resource).program();
        } catch (RuntimeException | StackOverflowError e) {
            return null; // validation reports the same problem at its place
        }
    }

    private void prepare(XtextResourceSet resourceSet) {
        resourceSet.getLoadOptions().put(XtextResource.OPTION_ENCODING, "UTF-8");
        resourceSet.setClasspathURIContext(CheckRunner.class.getClassLoader());
    }

    private static boolean isCheckable(Resource resource) {
        URI uri = resource.getURI();
        return resource instanceof XtextResource
                && resource.isLoaded()
                && uri.isFile()
                && DFK_EXTENSION.equals(uri.fileExtension())
                && Files.isRegularFile(Path.of(uri.toFileString()));
    }

    private static List<CheckDiagnostic> validate(XtextResource resource, String file) {
        IResourceValidator validator = resource.getResourceServiceProvider().getResourceValidator();
        List<CheckDiagnostic> found = new ArrayList<>();
        for (Issue issue : validator.validate(resource, CheckMode.ALL, CancelIndicator.NullImpl)) {
            Severity severity = switch (issue.getSeverity()) {
                case ERROR -> Severity.ERROR;
                case WARNING -> Severity.WARNING;
                case INFO -> Severity.INFO;
                case IGNORE -> null;
            };
            if (severity != null) {
                found.add(toDiagnostic(issue, severity, file));
            }
        }
        return found;
    }

    private static CheckDiagnostic toDiagnostic(Issue issue, Severity severity, String file) {
        if (EMF_VALIDATOR_FAILED.equals(issue.getMessage())) {
            return new CheckDiagnostic(file, 1, 1, 1, 1, Severity.ERROR, CHECK_FAILED_CODE,
                    "a check failed with an internal error (its cause is on stderr); this is a bug in dfk, "
                            + "please report it with this file");
        }
        int line = positive(issue.getLineNumber(), 1);
        int column = positive(issue.getColumn(), 1);
        int endLine = Math.max(line, positive(issue.getLineNumberEnd(), line));
        int endColumn = positive(issue.getColumnEnd(), column);
        if (endLine == line && endColumn < column) {
            endColumn = column;
        }
        return new CheckDiagnostic(file, line, column, endLine, endColumn, severity,
                codeOf(issue.getCode()), oneLine(issue.getMessage()));
    }

    private static CheckDiagnostic nestedTooDeeply(String file) {
        return new CheckDiagnostic(file, 1, 1, 1, 1, Severity.ERROR, NESTING_CODE,
                "expression nested too deeply to check; split it into several statements or constants");
    }

    private static CheckDiagnostic tooLarge(String file, URI uri) {
        double megabytes;
        try {
            megabytes = Files.size(Path.of(uri.toFileString())) / (1024.0 * 1024.0);
        } catch (IOException e) {
            megabytes = Double.NaN;
        }
        return new CheckDiagnostic(file, 1, 1, 1, 1, Severity.ERROR, TOO_LARGE_CODE, String.format(
                Locale.ROOT, "file is %.1f MB and dfk checks files of up to %d MB; split it into "
                        + "smaller files that import each other", megabytes, MAX_FILE_BYTES / (1024 * 1024)));
    }

    /**
     * Whether the parser gave up on nesting: a stack overflow (Xtext wraps it in its own exception)
     * or the DFK parser's refusal of brackets nested beyond its limit.
     */
    private static boolean causedByStackOverflow(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StackOverflowError || t instanceof org.eclipse.xtext.parser.ParseException) {
                return true;
            }
        }
        return false;
    }

    static String codeOf(String xtextCode) {
        if (xtextCode == null || xtextCode.isBlank()) {
            return UNCODED_CODE;
        }
        return switch (xtextCode) {
            case org.eclipse.xtext.diagnostics.Diagnostic.SYNTAX_DIAGNOSTIC -> SYNTAX_CODE;
            case org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC -> UNKNOWN_NAME_CODE;
            default -> xtextCode;
        };
    }

    /**
     * Messages quote the offending input, which may hold line breaks or control characters
     * (a binary file, say): keep each message on one line and every character visible.
     */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        StringBuilder out = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (c == '\n' || c == '\r' || c == '\t') {
                out.append(' ');
            } else if (Character.isISOControl(c) || !Character.isDefined(c)
                    || Character.getType(c) == Character.SURROGATE || c == 0xFFFD) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString().strip();
    }

    private static int positive(Integer value, int fallback) {
        return value == null || value < 1 ? fallback : value;
    }

    private String displayNameOfImported(URI uri) {
        Path path = Path.of(uri.toFileString()).toAbsolutePath().normalize();
        Path shown = path.startsWith(workingDirectory) ? workingDirectory.relativize(path) : path;
        return shown.toString().replace('\\', '/');
    }

    private static URI uriOf(Path path) {
        return URI.createFileURI(path.toAbsolutePath().normalize().toString());
    }

    /** One injector per process: creating it costs a good part of a second. */
    private static final class Language {
        static final Injector INJECTOR = new DfkStandaloneSetup().createInjectorAndDoEMFRegistration();
    }
}
