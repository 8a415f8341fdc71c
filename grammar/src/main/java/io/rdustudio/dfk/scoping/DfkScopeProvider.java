package io.rdustudio.dfk.scoping;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.Scopes;

import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.TensorDecl;

/**
 * Lexical scoping for plain names. Inside a kernel or fn body a name sees, innermost first: values
 * defined by earlier statements (the latest definition wins), the signature's parameters and shape
 * parameters, then global constants. Inside a schedule: enclosing loop variables, then program
 * tensors and constants. Elsewhere (shapes of top-level tensors, constants): global constants.
 * Globals come from this file and the files it imports.
 */
public class DfkScopeProvider extends AbstractDfkScopeProvider {

    @Override
    public IScope getScope(EObject context, EReference reference) {
        if (reference == DfkPackage.Literals.REFERENCE__REF) {
            return referenceScope(context, reference);
        }
        return super.getScope(context, reference);
    }

    private IScope referenceScope(EObject context, EReference reference) {
        IScope globals = super.getScope(context, reference);
        Callable callable = EcoreUtil2.getContainerOfType(context, Callable.class);
        if (callable != null) {
            return callableScope(callable, context, filterGlobals(globals, Constant.class));
        }
        Schedule schedule = EcoreUtil2.getContainerOfType(context, Schedule.class);
        if (schedule != null) {
            return loopScope(context, filterGlobals(globals, Constant.class, TensorDecl.class));
        }
        return filterGlobals(globals, Constant.class);
    }

    private static IScope filterGlobals(IScope globals, Class<?>... kinds) {
        return new org.eclipse.xtext.scoping.impl.FilteringScope(globals, description -> {
            for (Class<?> kind : kinds) {
                if (kind.isAssignableFrom(description.getEClass().getInstanceClass())) {
                    return true;
                }
            }
            return false;
        });
    }

    private static IScope callableScope(Callable callable, EObject context, IScope outer) {
        List<EObject> signature = new ArrayList<>();
        List<EObject> shapeParams = new ArrayList<>();
        if (callable instanceof Kernel kernel) {
            shapeParams.addAll(kernel.getShapeParams());
            signature.addAll(kernel.getParams());
            signature.addAll(kernel.getOutputs());
        } else if (callable instanceof Function function) {
            shapeParams.addAll(function.getShapeParams());
            signature.addAll(function.getParams());
            signature.addAll(function.getOutputs());
        }
        IScope scope = Scopes.scopeFor(shapeParams, outer);
        scope = Scopes.scopeFor(signature, scope);
        Statement current = EcoreUtil2.getContainerOfType(context, Statement.class);
        if (current == null) {
            return scope;
        }
        List<EObject> earlier = new ArrayList<>();
        for (EObject sibling : current.eContainer().eContents()) {
            if (sibling == current) {
                break;
            }
            if (sibling instanceof Statement statement) {
                earlier.addAll(statement.getDefs());
            }
        }
        java.util.Collections.reverse(earlier);
        return Scopes.scopeFor(earlier, scope);
    }

    private static IScope loopScope(EObject context, IScope outer) {
        List<EObject> loopVariables = new ArrayList<>();
        for (EObject e = context; e != null; e = e.eContainer()) {
            if (e instanceof Loop loop && loop.getVariable() != null && !EcoreUtil2.isAncestor(loop.getFrom(), context)
                    && !EcoreUtil2.isAncestor(loop.getTo(), context)) {
                loopVariables.add(loop.getVariable());
            }
        }
        return Scopes.scopeFor(loopVariables, outer);
    }
}
