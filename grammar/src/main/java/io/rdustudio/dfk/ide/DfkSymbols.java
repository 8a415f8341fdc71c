package io.rdustudio.dfk.ide;

import java.util.List;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.xtext.findReferences.IReferenceFinder;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolService;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.dfk.dfk.CallStep;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.lowering.Locations;

/**
 * The outline and the symbol searches of DFK: tensors, constants, kernels and fns with the values
 * their bodies define, and the schedule with its loops and kernel calls. Each symbol's detail is
 * the one-line description completion shows ({@link DfkDescriptions#detail}).
 */
public final class DfkSymbols {

    private DfkSymbols() {
    }

    /** The symbol kind of a declaration, or null when the outline does not list it. */
    static SymbolKind kind(EClass type) {
        if (type == DfkPackage.Literals.TENSOR_DECL) {
            return SymbolKind.Variable;
        }
        if (type == DfkPackage.Literals.CONSTANT) {
            return SymbolKind.Constant;
        }
        if (type == DfkPackage.Literals.KERNEL) {
            return SymbolKind.Class;
        }
        if (type == DfkPackage.Literals.FUNCTION) {
            return SymbolKind.Function;
        }
        if (type == DfkPackage.Literals.SCHEDULE) {
            return SymbolKind.Namespace;
        }
        if (type == DfkPackage.Literals.LOOP) {
            return SymbolKind.Object;
        }
        if (type == DfkPackage.Literals.CALL_STEP) {
            return SymbolKind.Event;
        }
        if (type == DfkPackage.Literals.VALUE_DEF) {
            return SymbolKind.Variable;
        }
        return null;
    }

    /** What the outline calls an element: its name; {@code schedule}, {@code for l in 0..L}, the kernel a step calls. */
    static String name(EObject object) {
        if (kind(object.eClass()) == null) {
            return null;
        }
        if (object instanceof Schedule s) {
            return s.getName() == null ? "schedule" : "schedule " + s.getName();
        }
        if (object instanceof Loop loop) {
            return "for " + (loop.getVariable() == null ? "?" : loop.getVariable().getName()) + " in "
                    + Locations.text(loop.getFrom()) + ".." + Locations.text(loop.getTo());
        }
        if (object instanceof CallStep step) {
            String callee = step.getCall() == null ? "" : Locations.text(step.getCall(), DfkPackage.Literals.CALL__CALLEE);
            return callee.isEmpty() ? null : callee;
        }
        return org.eclipse.xtext.util.SimpleAttributeResolver.NAME_RESOLVER.apply(object);
    }

    static String details(EObject object) {
        if (object instanceof CallStep) {
            return Locations.text(object);
        }
        boolean described = object instanceof Kernel || object instanceof Function || object instanceof TensorDecl
                || object instanceof Constant;
        return described ? DfkDescriptions.detail(object) : "";
    }

    /** Outline names. */
    public static class Names extends DocumentSymbolMapper.DocumentSymbolNameProvider {
        @Override
        public String getName(EObject object) {
            return name(object);
        }
    }

    /** Outline kinds. */
    public static class Kinds extends DocumentSymbolMapper.DocumentSymbolKindProvider {
        @Override
        protected SymbolKind getSymbolKind(EClass type) {
            SymbolKind kind = kind(type);
            return kind == null ? SymbolKind.Property : kind;
        }
    }

    /** Outline details. */
    public static class Details extends DocumentSymbolMapper.DocumentSymbolDetailsProvider {
        @Override
        public String getDetails(EObject object) {
            return details(object);
        }
    }

    /**
     * Workspace symbols with DFK's kinds, and find references that also list the statements writing
     * an output or state parameter ({@link DfkNames}).
     */
    public static class Service extends DocumentSymbolService {

        @Inject
        private EObjectAtOffsetHelper offsets;

        @Inject
        private DfkReferences references;

        @Override
        protected SymbolKind getSymbolKind(EClass type) {
            SymbolKind kind = kind(type);
            return kind == null ? SymbolKind.Property : kind;
        }

        @Override
        public List<? extends Location> getReferences(XtextResource resource, int offset,
                IReferenceFinder.IResourceAccess resourceAccess, IResourceDescriptions indexData,
                CancelIndicator cancelIndicator) {
            EObject element = offsets.resolveElementAt(resource, offset);
            if (element == null) {
                return List.of();
            }
            List<EObject> group = DfkNames.sameName(element);
            List<Location> found = new java.util.ArrayList<>(references.names(group.subList(1, group.size())));
            found.addAll(references.uses(group, resourceAccess, indexData, cancelIndicator));
            return found;
        }
    }
}
