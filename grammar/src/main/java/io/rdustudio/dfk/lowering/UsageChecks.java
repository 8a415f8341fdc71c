package io.rdustudio.dfk.lowering;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;

import io.rdustudio.dfk.dfk.Binary;
import io.rdustudio.dfk.dfk.Call;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.DTypeLiteral;
import io.rdustudio.dfk.dfk.Expr;
import io.rdustudio.dfk.dfk.FloatLiteral;
import io.rdustudio.dfk.dfk.Hint;
import io.rdustudio.dfk.dfk.Index;
import io.rdustudio.dfk.dfk.IntLiteral;
import io.rdustudio.dfk.dfk.ListLiteral;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Negation;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.TierLiteral;
import io.rdustudio.dfk.dfk.TopElement;
import io.rdustudio.dfk.dfk.ValueDef;

/** Values and input parameters that a kernel or fn defines but never reads (warnings). */
final class UsageChecks {

    private UsageChecks() {
    }

    /**
     * What the references of a kernel or fn name: in its signature's types, its hints and its body.
     * A walk of DFK's expressions through their own getters instead of EMF's generic tree iterator
     * (which builds a content list per object); an expression of a kind it does not know is walked
     * generically, so a new kind of expression cannot hide a reference.
     */
    static Set<EObject> reads(Callable callable) {
        Set<EObject> read = new HashSet<>();
        for (Param p : Signatures.params(callable)) {
            readsOf(p, read);
        }
        for (Param p : Signatures.outputs(callable)) {
            readsOf(p, read);
        }
        for (Hint h : Signatures.hints(callable)) {
            reads(h.getValue(), read);
        }
        for (Statement s : Signatures.body(callable)) {
            reads(s.getValue(), read);
        }
        return read;
    }

    private static void readsOf(Param p, Set<EObject> read) {
        if (p.getType() != null) {
            for (Expr dim : p.getType().getDims()) {
                reads(dim, read);
            }
        }
    }

    private static void reads(Expr e, Set<EObject> read) {
        if (e == null || e instanceof IntLiteral || e instanceof FloatLiteral || e instanceof TierLiteral
                || e instanceof DTypeLiteral) {
            return;
        }
        if (e instanceof Reference r) {
            read.add(r.getRef());
        } else if (e instanceof Binary b) {
            reads(b.getLeft(), read);
            reads(b.getRight(), read);
        } else if (e instanceof Negation n) {
            reads(n.getOperand(), read);
        } else if (e instanceof Index i) {
            reads(i.getTarget(), read);
            i.getIndices().forEach(index -> reads(index, read));
        } else if (e instanceof ListLiteral l) {
            l.getElements().forEach(element -> reads(element, read));
        } else if (e instanceof Call c) {
            c.getArgs().forEach(a -> reads(a.getValue(), read));
        } else {
            EcoreUtil2.getAllContentsOfType(e, Reference.class).forEach(r -> read.add(r.getRef()));
        }
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
            Set<EObject> read = reads(callable);
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
