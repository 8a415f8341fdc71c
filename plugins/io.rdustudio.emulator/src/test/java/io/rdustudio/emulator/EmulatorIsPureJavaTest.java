package io.rdustudio.emulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * <b>Architecture Invariant:</b> the emulator is plain Java, as the core is: it imports nothing from
 * Xtext, EMF, Eclipse, LSP4J, Guice or picocli, and nothing of the front ends that call it. It takes
 * a {@code Program}; lowering and presenting are the front ends' business.
 */
class EmulatorIsPureJavaTest {

    @Test
    void emulatorImportsNoEditorModellingOrCommandLineFramework() {
        JavaClasses emulator = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rdustudio.emulator");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse..", "com.google.inject..",
                "picocli..", "io.rdustudio.dfk..", "io.rdustudio.cli..", "io.rdustudio.lsp..", "io.rdustudio.report..",
                "io.rdustudio.check..")
                .because("the emulator is pure Java and depends on the core only (ARCHITECTURE.md)").check(emulator);
    }
}
