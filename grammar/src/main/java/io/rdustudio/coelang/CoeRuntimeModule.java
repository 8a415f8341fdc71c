package io.rdustudio.coelang;

import org.eclipse.xtext.linking.ILinkingDiagnosticMessageProvider;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.parser.antlr.ISyntaxErrorMessageProvider;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;

import io.rdustudio.coelang.linking.CoeLinkingDiagnosticMessageProvider;
import io.rdustudio.coelang.naming.CoeQualifiedNameProvider;
import io.rdustudio.coelang.parser.CoeSyntaxErrorMessageProvider;
import io.rdustudio.coelang.scoping.CoeGlobalScopeProvider;

/** Guice wiring of the CoE descriptor language runtime; every replaceable piece is bound here. */
public class CoeRuntimeModule extends AbstractCoeRuntimeModule {

    /** The .dfk programs a descriptor names are what it sees of other files; other descriptors are not. */
    @Override
    public Class<? extends IGlobalScopeProvider> bindIGlobalScopeProvider() {
        return CoeGlobalScopeProvider.class;
    }

    @Override
    public Class<? extends IQualifiedNameProvider> bindIQualifiedNameProvider() {
        return CoeQualifiedNameProvider.class;
    }

    public Class<? extends ILinkingDiagnosticMessageProvider> bindILinkingDiagnosticMessageProvider() {
        return CoeLinkingDiagnosticMessageProvider.class;
    }

    public Class<? extends ISyntaxErrorMessageProvider> bindISyntaxErrorMessageProvider() {
        return CoeSyntaxErrorMessageProvider.class;
    }
}
