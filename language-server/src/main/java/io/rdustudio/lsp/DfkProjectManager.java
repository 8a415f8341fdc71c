package io.rdustudio.lsp;

import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsData;

import io.rdustudio.dfk.resource.DfkResourceScopeCache;

/**
 * Xtext's project, with its workspace resource set marked as one whose models change only by a new
 * text: the server reloads a file for each edit and answers code actions and rename with text edits,
 * so the per-resource cache need not listen to every object of a model ({@link DfkResourceScopeCache}).
 * The live-scope resource sets Xtext creates for a rename, which change models in place, keep the
 * cache that does.
 */
public class DfkProjectManager extends ProjectManager {

    @Override
    public XtextResourceSet createNewResourceSet(ResourceDescriptionsData data) {
        XtextResourceSet resourceSet = super.createNewResourceSet(data);
        DfkResourceScopeCache.modelsChangeOnlyByNewText(resourceSet);
        return resourceSet;
    }

    @Override
    public XtextResourceSet createLiveScopeResourceSet() {
        XtextResourceSet resourceSet = super.createLiveScopeResourceSet();
        DfkResourceScopeCache.modelsChangeInPlace(resourceSet);
        return resourceSet;
    }
}
