package io.rdustudio.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * <b>Architecture Invariant:</b> the core (IR, profiles, analyses) is plain Java. It imports
 * nothing from Xtext, EMF, Eclipse, LSP4J or Guice, so that the emulator, the CLI and any other
 * front end can use it without an editor stack.
 */
class CoreIsPureJavaTest {

    @Test
    void coreImportsNoEditorOrModellingFramework() {
        JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rdustudio.core");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse..", "org.eclipse.xtext..",
                "org.eclipse.emf..", "org.eclipse.lsp4j..", "com.google.inject..")
                .because("the core is pure Java (ARCHITECTURE.md)").check(core);
    }
}
