package io.sipflow.physics.train;

import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.problem.SinProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The problem registry: built-ins found through ServiceLoader, options declared, defaulted and checked. */
class ProblemsTest {
    @Test
    void theBuiltInsAreFoundThroughTheirServicesFileInOrder() {
        assertEquals(List.of("heat", "poisson", "sin"), Problems.ids().subList(0, 3));
        assertTrue(Problems.named("sin") instanceof BuiltInProblems.Sin);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Problems.named("mine"));
        assertTrue(e.getMessage().contains("unknown problem 'mine'; expected one of heat, poisson, sin"), e.getMessage());
    }

    @Test
    void optionsGetTheirDefaultsAndAreChecked() {
        TrainConfig c = Problems.withSuggestions(TrainConfig.builder().problem("sin").method(Method.SGD),
                Map.of("angle", 30.0)).build();
        assertEquals(Map.of("xi", 10.0, "angle", 30.0), c.options());
        assertEquals(1e-6, c.learningRate(), 1e-18, "sin suggests 1e-4/xi^2 for SGD");
        assertEquals(100, c.batch());
        Problem p = Problems.create(TrainConfig.builder().problem("sin").build()); // no options: the defaults
        assertEquals(10.0, ((SinProblem) p).xi());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Problems.withSuggestions(
                TrainConfig.builder().problem("sin"), Map.of("xi", -1.0)));
        assertEquals("--option xi=-1.0: problem sin needs xi to be a finite number > 0", bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Problems.create(
                TrainConfig.builder().problem("heat").option("xi", 1).build()));
        assertEquals("--option xi: problem heat has no options", unknown.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Problems.create(
                TrainConfig.builder().problem("sin").option("angle", Double.NaN).build()));
        assertTrue(nan.getMessage().contains("angle to be a finite number"), nan.getMessage());
    }

    @Test
    void twoProvidersWithOneIdOrABadIdAreRefused() {
        ProblemProvider heat = new BuiltInProblems.Heat();
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> Problems.byId(List.of(heat, new BuiltInProblems.Heat())));
        assertTrue(twice.getMessage().startsWith("two problems are named 'heat'"), twice.getMessage());
        ProblemProvider spaced = new ProblemProvider() {
            @Override
            public String id() {
                return "my problem";
            }

            @Override
            public String description() {
                return "an id with a space";
            }

            @Override
            public Problem create(TrainConfig config) {
                return heat.create(config);
            }
        };
        IllegalStateException badId = assertThrows(IllegalStateException.class, () -> Problems.byId(List.of(spaced)));
        assertTrue(badId.getMessage().contains("has the id 'my problem'"), badId.getMessage());
    }

    @Test
    void anOptionWhoseDefaultItRefusesCannotBeDeclared() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProblemOption.of("gain", 0, "the gain", g -> g != 0, "other than 0"));
        assertTrue(e.getMessage().contains("its default 0.0 is not a finite number other than 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProblemOption.of("two words", 1, "bad name"));
    }
}
