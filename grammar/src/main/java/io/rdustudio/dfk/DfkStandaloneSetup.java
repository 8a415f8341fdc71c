package io.rdustudio.dfk;

/** Initialization support for running DFK without Equinox extension registry. */
public class DfkStandaloneSetup extends DfkStandaloneSetupGenerated {

    public static void doSetup() {
        new DfkStandaloneSetup().createInjectorAndDoEMFRegistration();
    }
}
