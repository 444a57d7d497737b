package io.sipflow.physics.train;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings are built by name from one place, and the training step is written once. */
class TrainConfigTest {
    @Test
    void configsAreBuiltByNameAndReadBackFromTheirSettings() {
        for (var c : TrainConfig.class.getDeclaredConstructors()) {
            assertTrue(Modifier.isPrivate(c.getModifiers()), "no positional constructor: " + c);
        }
        TrainConfig c = TrainConfig.builder().method(Method.GD).steps(7).batch(3).resolution(16).seed(-5)
                .learningRate(0.0012345678912345).testBatch(9).testSeed(4).testEvery(2).checkpointEvery(0).build();
        assertEquals(c, TrainConfig.fromSettings(c.settings()));
        assertEquals(List.of("problem", "method", "steps", "batch", "resolution", "seed", "learning_rate",
                "adam_epsilon", "test_batch", "test_seed", "test_every", "checkpoint_every"),
                List.copyOf(c.settings().keySet()));
        assertEquals(1e-7, TrainConfig.builder().build().adamEpsilon(), 0.0, "PhiFlow's Adam epsilon, from one place");
        TrainConfig withOptions = c.toBuilder().problem("sin").option("xi", 0.25).option("angle", 1.5).build();
        assertEquals(withOptions, TrainConfig.fromSettings(withOptions.settings()));
        assertEquals(0.25, withOptions.option("xi"), 0.0);
        assertEquals(1.5, (Double) withOptions.settings().get("option.angle"), 0.0);
    }

    @Test
    void momentumIsASettingOnlyWhereItIsUsedAndPoissonSgdDefaultsToIt() {
        TrainConfig sgd = TrainConfig.builder().method(Method.SGD).momentum(0.9).nesterov(true).build();
        assertEquals(sgd, TrainConfig.fromSettings(sgd.settings()));
        assertEquals(0.9, sgd.settings().get("momentum"));
        assertEquals(true, sgd.settings().get("nesterov"));
        assertTrue(!TrainConfig.builder().build().settings().containsKey("momentum"),
                "no momentum: the settings (and run identity) of runs made before it existed");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().momentum(1).build());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().nesterov(true).build(), "Nesterov without momentum");
        TrainConfig poisson = Problems.named("poisson").defaults()
                .apply(TrainConfig.builder().problem("poisson").method(Method.SGD)).build();
        assertEquals(0.9, poisson.momentum(), 0.0);
        assertEquals(1e-9, poisson.learningRate(), 0.0);
        TrainConfig adam = Problems.named("poisson").defaults()
                .apply(TrainConfig.builder().problem("poisson").method(Method.GD)).build();
        assertEquals(0.0, adam.momentum(), 0.0, "the Adam methods keep their settings");
        assertEquals(io.sipflow.nn.SGD.class, TrainingStep.newOptimizer(sgd,
                Problems.create(sgd).newNetwork(0)).getClass());
    }
}
