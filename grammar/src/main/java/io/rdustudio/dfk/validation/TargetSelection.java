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

    public TargetProfile profile() {
        return profile;
    }

    public void select(TargetProfile newProfile) {
        this.profile = newProfile;
    }
}
