package io.rdustudio.dfk;

import org.eclipse.xtext.linking.ILinkingDiagnosticMessageProvider;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.eclipse.xtext.scoping.IScopeProvider;
import org.eclipse.xtext.scoping.impl.AbstractDeclarativeScopeProvider;

import com.google.inject.Binder;
import com.google.inject.name.Names;

import io.rdustudio.dfk.linking.DfkLinkingDiagnosticMessageProvider;

/** Guice wiring of the DFK language runtime; every replaceable piece is bound here. */
public class DfkRuntimeModule extends AbstractDfkRuntimeModule {

    /** {@code import "file.dfk"} makes that file's declarations visible, and nothing else is. */
    @Override
    public Class<? extends IGlobalScopeProvider> bindIGlobalScopeProvider() {
        return io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider.class;
    }

    @Override
    public Class<? extends org.eclipse.xtext.parser.IParser> bindIParser() {
        return io.rdustudio.dfk.parser.DeepNestingParser.class;
    }

    @Override
    public Class<? extends org.eclipse.xtext.naming.IQualifiedNameProvider> bindIQualifiedNameProvider() {
        return io.rdustudio.dfk.naming.DfkQualifiedNameProvider.class;
    }

    /** A file is checked again when a file it refers to changes, not only when that file's names do. */
    public Class<? extends org.eclipse.xtext.resource.IResourceDescription.Manager> bindIResourceDescription$Manager() {
        return io.rdustudio.dfk.scoping.DfkResourceDescriptionManager.class;
    }

    /** Only top-level declarations have names: the index does not walk into kernel bodies. */
    public Class<? extends org.eclipse.xtext.resource.IDefaultResourceDescriptionStrategy> bindIDefaultResourceDescriptionStrategy() {
        return io.rdustudio.dfk.scoping.DfkResourceDescriptionStrategy.class;
    }

    @Override
    public Class<? extends org.eclipse.xtext.resource.XtextResource> bindXtextResource() {
        return io.rdustudio.dfk.resource.DfkResource.class;
    }

    /** The names a file declares and imports, without namespace imports or a walk through the bodies. */
    @Override
    public void configureIScopeProviderDelegate(Binder binder) {
        binder.bind(IScopeProvider.class).annotatedWith(Names.named(AbstractDeclarativeScopeProvider.NAMED_DELEGATE))
                .to(io.rdustudio.dfk.scoping.DfkLocalScopeProvider.class);
    }

    /** The per-resource cache; in the language server's workspace it listens to the resource alone. */
    public Class<? extends org.eclipse.xtext.util.IResourceScopeCache> bindIResourceScopeCache() {
        return io.rdustudio.dfk.resource.DfkResourceScopeCache.class;
    }

    /** The same cache where Xtext asks for its class (the lazy linker does), or it would attach its own first. */
    public Class<? extends org.eclipse.xtext.util.OnChangeEvictingCache> bindOnChangeEvictingCache() {
        return io.rdustudio.dfk.resource.DfkResourceScopeCache.class;
    }

    /** Validation runs the file's checks at its root, without EMF's walk through every object. */
    @Override
    public Class<? extends org.eclipse.emf.ecore.util.Diagnostician> bindDiagnostician() {
        return io.rdustudio.dfk.validation.DfkDiagnostician.class;
    }

    public Class<? extends ILinkingDiagnosticMessageProvider> bindILinkingDiagnosticMessageProvider() {
        return DfkLinkingDiagnosticMessageProvider.class;
    }
}
