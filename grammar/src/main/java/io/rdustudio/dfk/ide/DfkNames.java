package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;

import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.ValueDef;
import io.rdustudio.dfk.lowering.Signatures;

/**
 * Declarations that DFK ties together by name rather than by reference: a body writes an output or
 * updates a state parameter with a statement whose value definition has the parameter's name
 * ({@code y = ...}, {@code kc = update(kc, ...)}). Renaming one of them renames them all, and
 * finding the references of one finds the writes too.
 */
public final class DfkNames {

    private DfkNames() {
    }

    /** {@code declaration} and the declarations that share its name by the rule above, declaration first. */
    public static List<EObject> sameName(EObject declaration) {
        List<EObject> all = new ArrayList<>();
        all.add(declaration);
        Callable body = EcoreUtil2.getContainerOfType(declaration, Callable.class);
        if (body == null) {
            return all;
        }
        String name;
        if (declaration instanceof Param p && written(body, p)) {
            name = p.getName();
        } else if (declaration instanceof ValueDef v) {
            name = v.getName();
            Param written = writtenParam(body, name);
            if (written == null) {
                return all;
            }
            all.add(written);
        } else {
            return all;
        }
        for (Statement statement : Signatures.body(body)) {
            for (ValueDef def : statement.getDefs()) {
                if (def != declaration && name.equals(def.getName())) {
                    all.add(def);
                }
            }
        }
        return all;
    }

    private static boolean written(Callable body, Param p) {
        return Signatures.outputs(body).contains(p) || p.isState();
    }

    /** The output or state parameter of {@code body} named {@code name}, or null. */
    private static Param writtenParam(Callable body, String name) {
        for (Param p : Signatures.outputs(body)) {
            if (p.getName().equals(name)) {
                return p;
            }
        }
        for (Param p : Signatures.params(body)) {
            if (p.isState() && p.getName().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
