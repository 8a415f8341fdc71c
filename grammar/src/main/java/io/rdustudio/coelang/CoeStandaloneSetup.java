package io.rdustudio.coelang;

import org.eclipse.emf.ecore.resource.Resource;

import com.google.inject.Injector;

import io.rdustudio.dfk.DfkStandaloneSetup;

/**
 * Initialization support for running the CoE language without the Equinox extension registry.
 * A descriptor refers into .dfk programs, so DFK is registered too unless a front end (the
 * language server, with DFK's IDE setup) has registered it already.
 */
public class CoeStandaloneSetup extends CoeStandaloneSetupGenerated {

    public static void doSetup() {
        new CoeStandaloneSetup().createInjectorAndDoEMFRegistration();
    }

    @Override
    public Injector createInjectorAndDoEMFRegistration() {
        if (!Resource.Factory.Registry.INSTANCE.getExtensionToFactoryMap().containsKey("dfk")) {
            DfkStandaloneSetup.doSetup();
        }
        return super.createInjectorAndDoEMFRegistration();
    }
}
