package io.rdustudio.dfk.validation;

import com.google.inject.Singleton;

import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

/**
 * The target profile whose limits validation checks against: {@code sn40l} (one socket) unless a
 * front end selects another ({@code dfk check --target}, an editor setting).
 */
@Singleton
public class TargetSelection {

    public static final String DEFAULT = "sn40l";

    private volatile TargetProfile profile = TargetProfiles.load(DEFAULT);

    /** Whether validation also reports the analyses' findings (fusion hints, memory-plan failures). */
    private volatile boolean analysisHints = true;

    public boolean analysisHints() {
        return analysisHints;
    }

    /**
     * Editors want the performance hints with every edit; {@code dfk check} is the quick correctness
     * gate and asks for them only with {@code --hints}.
     */
    public void analysisHints(boolean enabled) {
        this.analysisHints = enabled;
    }

    public TargetProfile profile() {
        return profile;
    }

    public void select(TargetProfile newProfile) {
        this.profile = newProfile;
    }
}
