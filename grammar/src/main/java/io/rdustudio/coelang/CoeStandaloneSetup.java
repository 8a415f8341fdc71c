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
        registerDfk();
        return super.createInjectorAndDoEMFRegistration();
    }

    /**
     * Registers DFK unless it is registered already. Never twice: a second DFK injector would
     * register a second DFK validator for the same metamodel, and DFK files would be validated twice.
     */
    protected void registerDfk() {
        if (!Resource.Factory.Registry.INSTANCE.getExtensionToFactoryMap().containsKey("dfk")) {
            DfkStandaloneSetup.doSetup();
        }
    }
}
