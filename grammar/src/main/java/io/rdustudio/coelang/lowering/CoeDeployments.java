package io.rdustudio.coelang.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.inject.Inject;
import com.google.inject.Singleton;

import io.rdustudio.coe.DeploymentCheck;
import io.rdustudio.coe.DeploymentFootprint;
import io.rdustudio.coe.Footprints;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coelang.coe.CoePackage;
import io.rdustudio.coelang.coe.Descriptor;
import io.rdustudio.coelang.coe.Element;
import io.rdustudio.coelang.coe.Expert;
import io.rdustudio.coelang.coe.Router;
import io.rdustudio.coelang.coe.Trace;
import io.rdustudio.coelang.coe.Workload;
import io.rdustudio.coelang.resolver.EmulatorModelResolver;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.target.ProfileException;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

/**
 * The analysis of a descriptor ({@link CoeAnalysis}), computed once per resource state and cached
 * until the resource changes, so that validation, hover, inlay hints, code lenses and the commands
 * of one document version read one lowering, one footprint and one resolver (whose emulated
 * timings it memoises).
 */
@Singleton
public class CoeDeployments {

    @Inject
    private IResourceScopeCache cache;

    public CoeAnalysis of(Resource resource) {
        return cache.get(CoeDeployments.class, resource, () -> analyse(resource));
    }

    private static CoeAnalysis analyse(Resource resource) {
        if (resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Descriptor descriptor)) {
            return new CoeAnalysis(null, null, null, null, List.of());
        }
        CoeLoweringResult lowered = CoeLowering.lower(descriptor);
        List<Diagnostic> diagnostics = new ArrayList<>(lowered.diagnostics());
        Deployment deployment = lowered.deployment();
        // syntax and linking errors (Xtext reports them) stop the simulator's checks as the lowering's do
        EcoreUtil2.resolveLazyCrossReferences(resource, CancelIndicator.NullImpl);
        if (deployment == null || !resource.getErrors().isEmpty()) {
            return new CoeAnalysis(null, null, null, null, diagnostics);
        }
        TargetProfile profile;
        try {
            profile = TargetProfiles.load(deployment.hardware().targetProfile());
        } catch (ProfileException e) {
            SourceLocation at = deployment.hardware().location().equals(SourceLocation.UNKNOWN) ? deployment.location()
                    : deployment.hardware().location();
            diagnostics.add(Diagnostic.error("coe.bad-profile", e.getMessage(), at));
            return new CoeAnalysis(deployment, null, null, null, diagnostics);
        }
        ModelResolver resolver = EmulatorModelResolver.reading(resource.getResourceSet());
        DeploymentFootprint footprint = Footprints.of(deployment, resolver, profile);
        diagnostics.addAll(narrowed(descriptor, footprint.diagnostics()));
        diagnostics.addAll(atTraceNames(descriptor, deployment, DeploymentCheck.checkTraces(deployment, resolver, profile)));
        return new CoeAnalysis(deployment, profile, footprint, resolver, diagnostics);
    }

    /**
     * A trace's bad lines, found in the trace file, reported where the descriptor names the file
     * (the editor marks the descriptor; the message leads with the trace's file and line):
     * {@code requests.jsonl:3: "arrivalSeconds" must be a number, not "soon"}.
     */
    static List<Diagnostic> atTraceNames(Descriptor descriptor, Deployment deployment, List<Diagnostic> found) {
        Map<String, Trace> written = new HashMap<>();
        for (Element e : descriptor.getElements()) {
            if (e instanceof Workload w && w.getMix() instanceof Trace t) {
                written.putIfAbsent(w.getName(), t);
            }
        }
        Map<String, Trace> byFile = new HashMap<>();
        for (io.rdustudio.coe.model.Workload w : deployment.workloads()) {
            if (w.mix() instanceof ExpertMix.Trace t && written.containsKey(w.name())) {
                byFile.putIfAbsent(t.jsonLines().toAbsolutePath().normalize().toUri().toString(), written.get(w.name()));
            }
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : found) {
            String uri = d.location().uri();
            Trace t = byFile.get(uri);
            out.add(t == null ? d : new Diagnostic(d.severity(), d.code(), uri.substring(uri.lastIndexOf('/') + 1) + ":"
                    + d.location().line() + ": " + d.message(), Places.of(t, CoePackage.Literals.TRACE__FILE)));
        }
        return out;
    }

    /**
     * The simulator locates its findings at whole declarations; where one property is the thing to
     * change ({@code tp 3}, a duplicate name, a rate), the diagnostic is narrowed to that property.
     */
    static List<Diagnostic> narrowed(Descriptor descriptor, List<Diagnostic> found) {
        Map<SourceLocation, Element> declarations = new HashMap<>();
        for (Element e : descriptor.getElements()) {
            declarations.put(Places.of(e), e);
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : found) {
            Element declaration = declarations.get(d.location());
            EStructuralFeature feature = declaration == null ? null : property(d.code(), declaration);
            out.add(feature == null ? d
                    : new Diagnostic(d.severity(), d.code(), d.message(), Places.of(declaration, feature)));
        }
        return out;
    }

    private static EStructuralFeature property(String code, Element declaration) {
        CoePackage p = CoePackage.eINSTANCE;
        return switch (code) {
            case "coe.tensor-parallel" -> declaration instanceof Router ? p.getRouter_Tp()
                    : declaration instanceof Expert ? p.getExpert_Tp() : null;
            case "coe.zero-sized-model", "coe.bad-shape" -> declaration instanceof Router ? p.getRouter_Model()
                    : declaration instanceof Expert ? p.getExpert_Model() : null;
            case "coe.duplicate-expert" -> declaration instanceof Expert ? p.getExpert_Name() : null;
            case "coe.bad-size", "coe.too-many-experts" -> declaration instanceof Expert ? p.getExpert_Count() : null;
            case "coe.bad-tier" -> declaration instanceof Router ? p.getRouter_WeightsTier() : null;
            case "coe.bad-rate" -> declaration instanceof Workload ? p.getWorkload_Rate() : null;
            case "coe.bad-mix" -> declaration instanceof Workload ? p.getWorkload_Mix() : null;
            default -> null;
        };
    }
}
