package io.rdustudio.emulator.numeric;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * <b>Architecture Invariant:</b> a JVM without {@code jdk.incubator.vector} never links a class
 * against it. Only {@link VectorMatMul} uses the Vector API, and no class refers to
 * {@code VectorMatMul} in its bytecode: {@link MatMul} loads it by name after finding the module.
 */
class VectorApiIsolationTest {

    private static final JavaClasses EMULATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.rdustudio.emulator");

    @Test
    void onlyTheVectorKernelUsesTheVectorApi() {
        noClasses().that().doNotHaveFullyQualifiedName(VectorMatMul.class.getName())
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .because("the Vector API is an incubator module a plain java -jar does not have").check(EMULATOR);
    }

    @Test
    void nothingRefersToTheVectorKernelButByName() {
        noClasses().that().doNotHaveFullyQualifiedName(VectorMatMul.class.getName())
                .should().dependOnClassesThat().haveFullyQualifiedName(VectorMatMul.class.getName())
                .because("MatMul loads it only when the JVM has jdk.incubator.vector").check(EMULATOR);
    }
}
