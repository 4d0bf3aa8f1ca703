package io.neuromask.arch;

import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of all five modules (core, notebook, options, spark, cli) has no cycle, and {@code io.neuromask.internal}
 * is used only by the engine ({@code io.neuromask.engine} and its objectives, the front door {@code io.neuromask}), the methods, the metrics and the benchmark of core.
 * The layers are described in ARCHITECTURE.md. A build with {@code -Dneuromask.cliOnly} leaves toolkit/spark off the
 * class path ({@link #SPARK}): the rules then cover the other four modules, and the check that Spark was imported is
 * skipped, saying so.
 */
class ArchitectureTest {

    /**
     * Whether toolkit/spark is on the class path: {@code neuromask.test.sparkModule}, which toolkit/cli's pom sets to
     * false under {@code -Dneuromask.cliOnly} (its profile {@code architecture-of-spark}, which adds the module, is off
     * then). Expected when the property is absent, so that a run that lost the module by accident still fails.
     */
    private static final boolean SPARK = !"false".equals(System.getProperty("neuromask.test.sparkModule"));

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.neuromask");
    }

    /** One slice per package, the root package {@code io.neuromask} (the engine) included. */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            return pkg.equals("io.neuromask") || pkg.startsWith("io.neuromask.")
                    ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages of io.neuromask";
        }
    };

    @Test
    void packagesAreFreeOfCycles() {
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(classes);
    }

    /** The layers of ARCHITECTURE.md: each may be used only by the layers above it. */
    @Test
    void layersAreRespected() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("base").definedBy("io.neuromask.base")
                .layer("formats").definedBy("io.neuromask.io")
                .layer("models").definedBy("io.neuromask.torch", "io.neuromask.store", "io.neuromask.model")
                .layer("data").definedBy("io.neuromask.data")
                .layer("engine").definedBy("io.neuromask", "io.neuromask.engine..", "io.neuromask.internal")
                .layer("methods").definedBy("io.neuromask.attribution", "io.neuromask.bench")
                .layer("metrics").definedBy("io.neuromask.metrics")
                .layer("presentation").definedBy("io.neuromask.viz", "io.neuromask.export")
                .layer("sweep").definedBy("io.neuromask.sweep")
                .layer("notebook").definedBy("io.neuromask.notebook", "io.neuromask.kernel")
                .layer("options").definedBy("io.neuromask.options")
                .layer("cli").definedBy("io.neuromask.cli");
        // without toolkit/spark its layer is empty, which ArchUnit refuses unless the layer is optional
        layers = (SPARK ? layers.layer("spark") : layers.optionalLayer("spark")).definedBy("io.neuromask.spark");
        layers.whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("spark").mayNotBeAccessedByAnyLayer()
                .whereLayer("options").mayOnlyBeAccessedByLayers("cli", "spark")
                .whereLayer("notebook").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("sweep").mayOnlyBeAccessedByLayers("notebook", "cli")
                .whereLayer("presentation").mayOnlyBeAccessedByLayers("sweep", "notebook", "cli", "spark")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("presentation", "sweep", "notebook", "cli", "spark")
                .whereLayer("methods").mayOnlyBeAccessedByLayers("metrics", "presentation", "sweep", "notebook", "cli",
                        "spark")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("methods", "metrics", "presentation", "sweep", "notebook",
                        "options", "cli", "spark")
                .whereLayer("data").mayOnlyBeAccessedByLayers("engine", "methods", "metrics", "presentation", "sweep",
                        "notebook", "options", "cli", "spark")
                .whereLayer("models").mayOnlyBeAccessedByLayers("data", "engine", "methods", "metrics", "presentation",
                        "sweep", "notebook", "options", "cli", "spark")
                .whereLayer("formats").mayOnlyBeAccessedByLayers("models", "data", "engine", "methods", "metrics",
                        "presentation", "sweep", "notebook", "options", "cli", "spark")
                .check(classes);
    }

    @Test
    void internalIsUsedOnlyByTheEngineMethodsAndMetrics() {
        noClasses().that().resideOutsideOfPackages("io.neuromask", "io.neuromask.engine..", "io.neuromask.internal",
                        "io.neuromask.attribution", "io.neuromask.metrics", "io.neuromask.bench")
                .should().dependOnClassesThat().resideInAPackage("io.neuromask.internal")
                .check(classes);
    }

    /** Positional parameter lists stay short: builders or {@code with} methods derive variants. */
    @Test
    void noPublicConstructorTakesMoreThanTenParameters() {
        List<String> long_ = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
                continue;
            }
            for (JavaConstructor k : c.getConstructors()) {
                if (k.getModifiers().contains(JavaModifier.PUBLIC) && k.getRawParameterTypes().size() > 10) {
                    long_.add(k.getFullName());
                }
            }
        }
        if (!long_.isEmpty()) {
            throw new AssertionError("public constructors with more than 10 parameters: " + long_);
        }
    }

    @Test
    void theImportFoundTheModules() {
        for (String name : new String[] {"io.neuromask.NeuroMask", "io.neuromask.notebook.Show", "io.neuromask.cli.Main",
                "io.neuromask.options.ModelOption"}) {
            requireImported(name);
        }
    }

    @Test
    void theImportFoundTheSparkModuleUnlessTheBuildLeftItOut() {
        assumeTrue(SPARK, "toolkit/spark is not on the class path (-Dneuromask.cliOnly, neuromask.test.sparkModule="
                + "false), so its packages are not checked; build without -Dneuromask.cliOnly to check them");
        requireImported("io.neuromask.spark.ExplainJob");
    }

    private static void requireImported(String name) {
        if (!classes.contain(name)) {
            throw new AssertionError(name + " was not imported; the rules above would pass vacuously");
        }
    }
}
