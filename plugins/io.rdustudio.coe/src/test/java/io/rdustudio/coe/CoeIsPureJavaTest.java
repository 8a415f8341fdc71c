package io.rdustudio.coe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * <b>Architecture Invariant:</b> the CoE plugin (model, checks, simulator, planner, renderers) is
 * plain Java, like the core. It imports nothing from Xtext, EMF, Eclipse, LSP4J or Guice, so that
 * the CLI, the language server and any other tool can use it without an editor stack.
 */
class CoeIsPureJavaTest {

    @Test
    void coeImportsNoEditorOrModellingFramework() {
        JavaClasses coe = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rdustudio.coe");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse..", "org.eclipse.xtext..",
                "org.eclipse.emf..", "org.eclipse.lsp4j..", "com.google.inject..")
                .because("the CoE plugin is pure Java (ARCHITECTURE.md)").check(coe);
    }
}
