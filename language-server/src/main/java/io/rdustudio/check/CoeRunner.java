package io.rdustudio.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Injector;

import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coelang.CoeStandaloneSetup;
import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.lowering.CoeDeployments;
import io.rdustudio.coelang.lowering.DescriptorWriter;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

/**
 * Loads and checks one CoE descriptor the way {@code dfk coe check} does: parses it (and the .dfk
 * programs its models name) into one resource set, validates it as an editor does (the language's
 * problems, then the simulator's checks) and returns the problems as plain data with the
 * descriptor's analysis for the commands that go on to simulate, sweep, plan or export. It never
 * prints and never exits.
 *
 * <p>Files over {@value CheckRunner#MAX_FILE_BYTES} bytes are refused, and the work runs on a
 * thread with a large stack, as for {@code dfk check}: the programs a descriptor names are DFK.
 */
public final class CoeRunner {

    /**
     * @param check    the descriptor's diagnostics, named by the file as the user gave it
     * @param analysis the descriptor's deployment, footprint and resolver; its deployment is null
     *                 when the descriptor has language errors
     */
    public record LoadedDescriptor(CheckResult check, CoeAnalysis analysis) {
    }

    private CoeRunner() {
    }

    /** @param fileName the descriptor as the user named it; the caller has made sure it exists and ends in .coe */
    public static LoadedDescriptor load(String fileName, Path workingDirectory) {
        return CheckRunner.onLargeStack(() -> loadOnThisThread(fileName, workingDirectory));
    }

    /**
     * Runs {@code work} (a simulation, a sweep) on a thread with the checker's large stack: timing a
     * model written in DFK lowers its program again.
     */
    public static <T> T onLargeStack(java.util.function.Supplier<T> work) {
        return CheckRunner.onLargeStack(work);
    }

    /** Writes deployments as descriptors ({@code dfk coe import}). */
    public static DescriptorWriter writer() {
        return Language.INJECTOR.getInstance(DescriptorWriter.class);
    }

    /**
     * Whether {@code name} is a schedule of the program at {@code dfkUri} (else a model's phase names
     * a kernel); false when the program cannot be read, which its check then reports.
     */
    public static boolean isSchedule(String dfkUri, String name) {
        XtextResourceSet resourceSet = Language.INJECTOR.getInstance(XtextResourceSet.class);
        try {
            Resource resource = resourceSet.getResource(URI.createURI(dfkUri), true);
            return resource.getContents().get(0) instanceof io.rdustudio.dfk.dfk.Model model && model.getElements().stream()
                    .anyMatch(e -> e instanceof io.rdustudio.dfk.dfk.Schedule s && name.equals(s.getName()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static LoadedDescriptor loadOnThisThread(String fileName, Path workingDirectory) {
        XtextResourceSet resourceSet = Language.INJECTOR.getInstance(XtextResourceSet.class);
        resourceSet.getLoadOptions().put(XtextResource.OPTION_ENCODING, "UTF-8");
        Set<URI> tooLarge = new LinkedHashSet<>();
        resourceSet.getURIConverter().getURIHandlers().add(0, new SizeLimitedFileHandler(CheckRunner.MAX_FILE_BYTES, tooLarge));
        URI uri = URI.createFileURI(workingDirectory.resolve(fileName).toAbsolutePath().normalize().toString());
        String file = fileName.replace('\\', '/');
        List<CheckDiagnostic> diagnostics = new ArrayList<>();
        Resource resource = null;
        try {
            resource = resourceSet.getResource(uri, true);
        } catch (RuntimeException e) {
            if (!tooLarge.contains(uri)) {
                throw e;
            }
        }
        CoeAnalysis analysis = new CoeAnalysis(null, null, null, null, List.of());
        if (resource instanceof XtextResource xtext) {
            diagnostics.addAll(CheckRunner.validate(xtext, file));
            analysis = Language.INJECTOR.getInstance(CoeDeployments.class).of(resource);
        } else {
            diagnostics.add(new CheckDiagnostic(file, 1, 1, 1, 1, Severity.ERROR, CheckRunner.TOO_LARGE_CODE,
                    "the descriptor is larger than " + CheckRunner.MAX_FILE_BYTES / (1024 * 1024)
                            + " MB, more than dfk reads; a descriptor declares many alike experts in one line"));
        }
        TargetProfile target = analysis.profile() != null ? analysis.profile() : TargetProfiles.load(Hardware.DEFAULT_PROFILE);
        return new LoadedDescriptor(new CheckResult(List.of(file), diagnostics, target), analysis);
    }

    /**
     * One injector per process: creating it costs a good part of a second. DFK's is {@code dfk
     * check}'s, created first: a second DFK injector would register a second DFK validator for the
     * same metamodel, and every DFK file would be validated twice, by both.
     */
    private static final class Language {
        static final Injector INJECTOR = create();

        private static Injector create() {
            CheckRunner.Language.INJECTOR.getClass(); // DFK registered by dfk check's injector: the CoE setup adds none
            return new CoeStandaloneSetup().createInjectorAndDoEMFRegistration();
        }
    }
}
