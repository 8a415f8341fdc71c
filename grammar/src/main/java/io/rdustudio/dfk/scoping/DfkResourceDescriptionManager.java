package io.rdustudio.dfk.scoping;

import java.util.Collection;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.IResourceDescription;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.impl.DefaultResourceDescriptionManager;

/**
 * Decides which files an incremental build (the language server's) checks again after others
 * changed. Xtext's default re-checks a file only when the names another file exports change; but a
 * DFK file depends on more than the names it imports: a kernel's parameter shapes, a constant's
 * value. So a file that refers to anything in a changed file is checked again whenever that file
 * changed at all.
 */
public class DfkResourceDescriptionManager extends DefaultResourceDescriptionManager {

    @Override
    public boolean isAffected(Collection<IResourceDescription.Delta> deltas, IResourceDescription candidate,
            IResourceDescriptions context) {
        if (super.isAffected(deltas, candidate, context)) {
            return true;
        }
        Set<URI> referenced = getDescriptionUtils().collectOutgoingReferences(candidate);
        for (IResourceDescription.Delta delta : deltas) {
            if (delta.getNew() != null && referenced.contains(delta.getUri())) {
                return true;
            }
        }
        return false;
    }
}
