package io.sipflow.tests;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The library computes its transcendentals with {@link StrictMath}: one of the rules that make a run give the same
 * bits on every x86 and JVM (with the kernels' fixed summation order; the golden-digest tests check the result).
 */
@AnalyzeClasses(packages = "io.sipflow", importOptions = ImportOption.DoNotIncludeTests.class)
class StrictMathRuleTest {
    private static final Set<String> TRANSCENDENTALS = new TreeSet<>(List.of("exp", "expm1", "log", "log10", "log1p", "pow", "sin",
            "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "cbrt", "hypot"));

    @ArchTest
    static final ArchRule libraryUsesStrictMath = noClasses()
            .that().resideInAnyPackage("io.sipflow.autodiff..", "io.sipflow.nn..", "io.sipflow.physics",
                    "io.sipflow.physics.problem..", "io.sipflow.physics.train..")
            .should().callMethodWhere(DescribedPredicate.describe("Math." + TRANSCENDENTALS,
                    (JavaMethodCall call) -> call.getTarget().getOwner().isEquivalentTo(Math.class)
                            && TRANSCENDENTALS.contains(call.getTarget().getName())))
            .because("Math's transcendentals may be compiled to CPU- and JDK-specific intrinsics that round "
                    + "differently (JDK 24 added one for tanh); StrictMath is fdlibm, the same bits everywhere, so "
                    + "a run's weights do not depend on the machine");
}
