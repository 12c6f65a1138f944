package com.airotech.connect;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The house rules of DESIGN.md, held by tests. */
class ArchitectureTest {
    static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.airotech.connect");
    }

    @Test
    void onlyTheConsoleImportsJavaFx() {
        noClasses().that().resideOutsideOfPackage("..ui..").should().dependOnClassesThat().resideInAPackage("javafx..").check(main);
    }

    @Test
    void onlyTheGatewayImportsUndertow() {
        noClasses().that().resideOutsideOfPackage("..gateway..").should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..").check(main);
    }

    @Test
    void onlyTheBusImportsKafka() {
        noClasses().that().resideOutsideOfPackage("..bus..").should().dependOnClassesThat().resideInAPackage("org.apache.kafka..").check(main);
    }

    @Test
    void onlyTheSecretStoreAndConnectionsImportTheAwsSdk() {
        noClasses().that().resideOutsideOfPackages("..secret..", "..connection..").should().dependOnClassesThat().resideInAPackage("software.amazon..").check(main);
        // the outbound HTTP client is the connection runtime's: its resolver is where the address policy holds
        noClasses().that().resideOutsideOfPackages("..connection..").should().dependOnClassesThat().resideInAPackage("org.apache.hc..").check(main);
    }

    @Test
    void servicesKnowNothingOfHttpOrScreens() {
        // every feature package; site/ is left out until its import of gateway.Reveal moves (issue 15, another branch)
        noClasses().that().resideInAnyPackage("..tenant..", "..connector..", "..ingest..", "..audit..", "..auth..", "..store..", "..delivery..",
                        "..retention..", "..connection..", "..oauth..", "..bus..", "..backup..", "..status..", "..secret..", "..pki..",
                        "..metrics..", "..common..")
                .should().dependOnClassesThat().resideInAnyPackage("..gateway..", "..ui..").check(main);
    }

    @Test
    void theStoreAndTheRefusalsItThrowsKnowNothingOfHttp() {
        // a refusal carries a kind; only the gateway turns it into a status (gateway.ErrorStatus)
        noClasses().that().resideInAnyPackage("..store..", "..common..")
                .should().dependOnClassesThat().resideInAnyPackage("..gateway..", "..ui..", "..app..", "io.undertow..", "org.xnio..",
                        "java.net.http..", "org.apache.hc..")
                .check(main);
        noClasses().that().resideInAPackage("..store..")
                .should().dependOnClassesThat().resideInAnyPackage("..tenant..", "..connector..", "..connection..", "..ingest..", "..delivery..",
                        "..retention..", "..audit..", "..auth..", "..oauth..", "..bus..", "..backup..", "..site..")
                .check(main);
    }

    @Test
    void bytesAreNeverComparedWithArraysEquals() {
        // secrets, MACs and digests are compared with MessageDigest.isEqual (constant time)
        noClasses().should().callMethod(java.util.Arrays.class, "equals", byte[].class, byte[].class).check(main);
    }

    @Test
    void credentialVerifiersNeverCompareStrings() {
        noClasses().that().haveSimpleNameEndingWith("Verifier").and().haveSimpleNameNotStartingWith("Inbound")
                .and().haveSimpleNameNotStartingWith("OAuth2")
                .should().callMethod(String.class, "equals", Object.class)
                .orShould().callMethod(String.class, "equalsIgnoreCase", String.class)
                .check(main);
    }
}
