package io.rdustudio.coelang.naming;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.naming.IQualifiedNameConverter;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;

import com.google.inject.Inject;

import io.rdustudio.coelang.coe.Expert;
import io.rdustudio.coelang.coe.ModelDecl;
import io.rdustudio.coelang.coe.Workload;

/**
 * A descriptor has one flat namespace: its models, experts and workloads are known by their simple
 * names ({@code expert coder: llama2_7b}, {@code node 0: coder}, {@code --workload chatbot}).
 */
public class CoeQualifiedNameProvider extends IQualifiedNameProvider.AbstractImpl {

    @Inject
    private IQualifiedNameConverter converter;

    @Override
    public QualifiedName getFullyQualifiedName(EObject object) {
        String name = null;
        if (object instanceof ModelDecl m) {
            name = m.getName();
        } else if (object instanceof Expert e) {
            name = e.getName();
        } else if (object instanceof Workload w) {
            name = w.getName();
        }
        return name == null || name.isEmpty() ? null : converter.toQualifiedName(name);
    }
}
