package io.rdustudio.coelang.ide;

import org.eclipse.xtext.util.Modules2;

import com.google.inject.Guice;
import com.google.inject.Injector;

import io.rdustudio.coelang.CoeRuntimeModule;
import io.rdustudio.coelang.CoeStandaloneSetup;

/** Initialization support for running the CoE language in the language server. */
public class CoeIdeSetup extends CoeStandaloneSetup {

    @Override
    public Injector createInjector() {
        return Guice.createInjector(Modules2.mixin(new CoeRuntimeModule(), new CoeIdeModule()));
    }

    /** The language server sets DFK up itself, with its editor services, from DFK's own setup. */
    @Override
    protected void registerDfk() {
    }
}
