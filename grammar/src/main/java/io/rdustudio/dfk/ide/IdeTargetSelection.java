package io.rdustudio.dfk.ide;

import com.google.inject.Singleton;

import io.rdustudio.dfk.validation.TargetSelection;

/**
 * The language server's target selection: validation leaves the analysis's findings out, because
 * the server publishes them itself after the first diagnostics ({@link BackgroundFindings}), so an
 * edit's syntax, name and shape errors never wait for the analysis.
 */
@Singleton
public class IdeTargetSelection extends TargetSelection {

    public IdeTargetSelection() {
        analysisHints(false);
    }
}
