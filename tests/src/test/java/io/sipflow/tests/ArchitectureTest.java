package io.sipflow.tests;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.backend.CpuBackend;
import io.sipflow.autodiff.backend.Transfers;
import io.sipflow.nn.Optimizer;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * sipflow's architecture, as rules over its compiled main classes (every module, the application included). Each
 * rule says why it holds; a failure names the class, the member and the line that breaks it.
 */
@AnalyzeClasses(packages = "io.sipflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The library: what a consumer of sipflow-physics (and of sipflow-gpu) gets. */
    private static final String[] LIBRARY = {"io.sipflow.autodiff..", "io.sipflow.nn..", "io.sipflow.physics",
            "io.sipflow.physics.problem..", "io.sipflow.physics.train..", "io.sipflow.gpu.."};

    @ArchTest
    static final ArchRule libraryNeverUsesTheApplication = noClasses().that().resideInAnyPackage(LIBRARY)
            .should().dependOnClassesThat().resideInAnyPackage("io.sipflow.physics.cli..", "io.sipflow.physics.plot..",
                    "picocli..", "me.tongfei.progressbar..", "org.knowm.xchart..")
            .because("the application (command line, plots) is built on the library, never the other way: a "
                    + "library class that needs it would bring its jars to every consumer (docs/library.md)");

    @ArchTest
    static final ArchRule nnAndPhysicsReachKernelsOnlyThroughBackend = noClasses()
            .that().resideInAnyPackage("io.sipflow.nn..", "io.sipflow.physics..")
            .should().dependOnClassesThat(resideInAPackage("io.sipflow.autodiff.backend..")
                    .and(DescribedPredicate.not(belongToAnyOf(Backend.class, Backends.class, Transfers.class))))
            .because("every op goes through the one door, Backend (they may choose a backend or read its transfer "
                    + "count): a kernel called directly can never run on the device");

    @ArchTest
    static final ArchRule backendNamesNoImplementation = noClasses().that().belongToAnyOf(Backend.class)
            .should().dependOnClassesThat().belongToAnyOf(CpuBackend.class)
            .because("an interface default that calls one implementation runs the CPU's kernels inside every other "
                    + "backend unseen; a backend that lacks a kernel wraps another one and delegates");

    @ArchTest
    static final ArchRule graphRecordStaysInAutodiff = noClasses().that().resideOutsideOfPackage("io.sipflow.autodiff..")
            .should().callMethodWhere(DescribedPredicate.describe("Graph.record",
                    call -> call.getTarget().getOwner().isEquivalentTo(Graph.class)
                            && call.getTarget().getName().equals("record")))
            .because("outside autodiff an op is added through Autodiff.customVjp or a Backend method: one way "
                    + "for users and for our own physics, so the graph's rules live in one package");

    @ArchTest
    static final ArchRule onlyTheOneStepTrains = noClasses().that().resideInAPackage("io.sipflow.physics..")
            .should().callMethodWhere(DescribedPredicate.describe("Autodiff.grad or Optimizer.step",
                    call -> call.getTarget().getOwner().isEquivalentTo(Autodiff.class)
                            && call.getTarget().getName().equals("grad")
                            || call.getTarget().getOwner().isAssignableTo(Optimizer.class)
                            && call.getTarget().getName().equals("step")))
            .because("a training step exists once: physics (trainer, bench, heap plan) calls TrainingStep, which "
                    + "calls nn.Training; a second copy of the step drifts from the first");

    @ArchTest
    static final ArchRule noPackageCyclesInNnPhysicsGpu = slices().assignedFrom(packagesOf("io.sipflow.nn",
                    "io.sipflow.physics", "io.sipflow.gpu"))
            .should().beFreeOfCycles()
            .because("packages that import each other can only be read, tested and split together (autodiff's "
                    + "Tensor ⇄ ops loop is its fluent API, by design, and outside this rule)");

    /** One slice per package under any of {@code roots}; every other class is left out of the rule. */
    private static SliceAssignment packagesOf(String... roots) {
        List<String> list = List.of(roots);
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String p = javaClass.getPackageName();
                for (String root : list) {
                    if (p.equals(root) || p.startsWith(root + ".")) {
                        return SliceIdentifier.of(p);
                    }
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "each package of " + String.join(", ", list);
            }
        };
    }
}
