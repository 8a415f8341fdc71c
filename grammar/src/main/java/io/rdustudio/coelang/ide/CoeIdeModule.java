package io.rdustudio.coelang.ide;

import org.eclipse.xtext.ide.server.codelens.ICodeLensService;
import org.eclipse.xtext.ide.server.commands.IExecutableCommandService;
import org.eclipse.xtext.ide.server.hover.IHoverService;

/** Guice wiring of the CoE language's editor services (served by the language server with DFK's). */
public class CoeIdeModule extends AbstractCoeIdeModule {

    public Class<? extends IHoverService> bindIHoverService() {
        return CoeHoverService.class;
    }

    public Class<? extends ICodeLensService> bindICodeLensService() {
        return CoeCodeLensService.class;
    }

    public Class<? extends IExecutableCommandService> bindIExecutableCommandService() {
        return CoeCommandService.class;
    }
}
