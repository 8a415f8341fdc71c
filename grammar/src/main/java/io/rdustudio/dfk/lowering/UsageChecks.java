package io.rdustudio.dfk.lowering;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;

import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.TopElement;
import io.rdustudio.dfk.dfk.ValueDef;

/** Values and input parameters that a kernel or fn defines but never reads (warnings). */
final class UsageChecks {

    private UsageChecks() {
    }

    static void check(Model model, Problems problems) {
        for (TopElement element : model.getElements()) {
            // kernels and fns are top-level elements only: no walk through every expression of the file
            if (!(element instanceof Callable callable)) {
                continue;
            }
            String name = Signatures.name(callable);
            if (name != null && io.rdustudio.core.ir.OpKind.fromKeyword(name).isPresent()) {
                problems.warning("dfk.shadows-operator", Signatures.kind(callable) + " " + name
                        + " hides the built-in operator of the same name; rename it", callable);
            }
            Set<EObject> read = new HashSet<>();
            for (Reference r : EcoreUtil2.getAllContentsOfType(callable, Reference.class)) {
                read.add(r.getRef());
            }
            Set<String> outputs = new HashSet<>();
            for (Param p : Signatures.outputs(callable)) {
                outputs.add(p.getName());
            }
            for (Param p : Signatures.params(callable)) {
                if (!read.contains(p) && !p.isState()) {
                    problems.warning("dfk.unused", "parameter " + p.getName() + " is never used", p);
                }
                if (p.isState()) {
                    outputs.add(p.getName());
                }
            }
            List<Statement> body = Signatures.body(callable);
            for (Statement s : body) {
                for (ValueDef def : s.getDefs()) {
                    if (!read.contains(def) && !outputs.contains(def.getName())) {
                        problems.warning("dfk.unused", "value " + def.getName() + " is never used", def);
                    }
                }
            }
        }
    }
}
