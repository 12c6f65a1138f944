package com.airotech.connect;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The house rules of DESIGN.md, held by tests. */
class ArchitectureTest {
    static final String ROOT = "com.airotech.connect";

    /** The adapters: they word what the services do for people and programs (picocli, Undertow, JavaFX). */
    static final Set<String> ADAPTERS = Set.of("cli", "gateway", "ui");

    /**
     * Every feature package and the project packages it may use (besides itself). A new package, or a
     * new dependency between two, is a decision: add it here. Services sit low, the adapters (cli,
     * gateway, ui) and the composition root (app) on top; wire is the contract's JSON, shared by the
     * adapters (and the site import report).
     */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            entry("common", Set.of()),
            entry("store", Set.of("common")),
            entry("secret", Set.of("common", "store")),
            entry("pki", Set.of("common", "secret", "store")),
            entry("audit", Set.of("common", "secret", "store")),
            entry("tenant", Set.of("audit", "common", "store")),
            entry("connector", Set.of("audit", "common", "pki", "secret", "store", "tenant")),
            entry("auth", Set.of("common", "connector", "pki")),
            entry("ingest", Set.of("audit", "auth", "common", "connector", "store", "tenant")),
            entry("oauth", Set.of("auth", "common", "connector", "ingest", "secret", "store")),
            entry("connection", Set.of("audit", "common", "secret", "store", "tenant")),
            entry("delivery", Set.of("audit", "auth", "common", "connection", "connector", "ingest", "secret", "store", "tenant")),
            entry("retention", Set.of("audit", "common", "ingest", "store", "tenant")),
            entry("bus", Set.of("common", "ingest", "store")),
            entry("status", Set.of("bus", "common", "ingest", "retention", "store", "tenant")),
            entry("metrics", Set.of("common", "connector", "delivery", "ingest", "store")),
            entry("backup", Set.of("audit", "common", "oauth", "pki", "secret", "store")),
            entry("simulate", Set.of("auth", "common")),
            entry("site", Set.of("common", "connection", "connector", "tenant", "wire")),
            entry("wire", Set.of("common", "connection", "connector", "delivery", "secret", "tenant")),
            entry("gateway", Set.of("audit", "auth", "common", "connection", "connector", "delivery", "ingest", "metrics", "oauth", "pki",
                    "retention", "secret", "status", "store", "tenant", "wire")),
            entry("app", Set.of("audit", "auth", "backup", "bus", "common", "connection", "connector", "delivery", "gateway", "ingest",
                    "metrics", "oauth", "pki", "retention", "secret", "status", "store", "tenant")),
            entry("ui", Set.of("app", "audit", "backup", "common", "connection", "connector", "delivery", "ingest", "pki", "retention",
                    "status", "store", "tenant")),
            entry("cli", Set.of("app", "audit", "backup", "common", "connection", "connector", "delivery", "gateway", "ingest", "pki",
                    "retention", "secret", "simulate", "site", "store", "tenant", "ui", "wire")));

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
    void servicesKnowNothingOfHttpScreensOrTheCommandLine() {
        String[] services = ALLOWED.keySet().stream().filter(p -> !ADAPTERS.contains(p) && !p.equals("app"))
                .map(p -> ROOT + "." + p + "..").toArray(String[]::new);
        noClasses().that().resideInAnyPackage(services)
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".gateway..", ROOT + ".ui..", ROOT + ".cli..", ROOT + ".app..", ROOT)
                .check(main);
    }

    @Test
    void theStoreAndTheRefusalsItThrowsKnowNothingOfHttp() {
        // a refusal carries a kind; only the gateway turns it into a status (gateway.ErrorStatus); which
        // feature packages store/ may use is in ALLOWED (none)
        noClasses().that().resideInAnyPackage(ROOT + ".store..", ROOT + ".common..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..", "java.net.http..", "org.apache.hc..")
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

    @Test
    void everyFeaturePackageIsInTheMapOfAllowedDependencies() {
        Set<String> features = main.stream().map(ArchitectureTest::feature).filter(f -> !f.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(ALLOWED.keySet()).containsAll(features);
    }

    @Test
    void eachFeaturePackageUsesOnlyThePackagesItIsAllowed() {
        for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
            String[] forbidden = ALLOWED.keySet().stream().filter(p -> !p.equals(e.getKey()) && !e.getValue().contains(p))
                    .map(p -> ROOT + "." + p + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + "." + e.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .orShould().dependOnClassesThat().resideInAPackage(ROOT)
                    .because(e.getKey() + " may use only " + new TreeSet<>(e.getValue()) + " (ArchitectureTest.ALLOWED)")
                    .check(main);
        }
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void consoleScreensShareOnlyUiCommonAndNeverTheShell() {
        // ui/<screen>/ packages share ui/common (a screen that opens another's dialog uses that screen's
        // package); the shell (ui/: Console, ConsoleWindow, MainController) loads screens by FXML, and no
        // screen uses it; ui/common uses no screen
        slices().matching(ROOT + ".ui.(*)..").should().beFreeOfCycles().check(main);
        noClasses().that().resideInAPackage(ROOT + ".ui.*..").should().dependOnClassesThat().resideInAPackage(ROOT + ".ui").check(main);
        noClasses().that().resideInAPackage(ROOT + ".ui.common..").should().dependOnClassesThat(
                JavaClass.Predicates.resideInAPackage(ROOT + ".ui.*..").and(JavaClass.Predicates.resideOutsideOfPackage(ROOT + ".ui.common..")))
                .check(main);
    }

    /** The feature a class belongs to: the package right under com.airotech.connect ("" for the top command). */
    static String feature(JavaClass c) {
        String p = c.getPackageName();
        if (p.equals(ROOT)) return "";
        String rest = p.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
