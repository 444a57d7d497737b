package io.sipflow.physics.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint names its run; a resume of another run is refused before anything is loaded. */
class RunIdentityTest {
    private static final TrainConfig TINY = TrainConfig.builder().steps(2).batch(4).resolution(8).testBatch(4).build();

    @TempDir
    Path tmp;

    private static RunIdentity of(String id, TrainConfig c) {
        return RunIdentity.of(id, c, Problems.create(c));
    }

    @Test
    void everySettingButStepsAndCheckpointIntervalIsPartOfTheIdentity() {
        RunIdentity a = of("r", TINY);
        assertEquals(Optional.empty(), a.difference(of("r", TINY.toBuilder().steps(500).checkpointEvery(7).build())));
        assertEquals(Optional.of("method sip vs gd"), a.difference(of("r", TINY.withMethod(Method.GD))));
        assertEquals(Optional.of("problem heat vs poisson"), a.difference(of("r", TINY.toBuilder().problem("poisson")
                .adamEpsilon(1e-8).build())), "the problem is named before the settings it implies");
        assertEquals(Optional.of("learning_rate 0.001 vs 0.002"),
                a.difference(of("r", TINY.toBuilder().learningRate(2e-3).build())));
        assertEquals(Optional.of("run id r vs s"), a.difference(of("s", TINY)));
        // the problem's own settings come along without being listed anywhere: the heat problem's network
        assertTrue(a.settings().containsKey("network"), a.settings().toString());
    }

    @Test
    void numbersCompareByValueAsAJsonFileReadsThemBack() {
        RunIdentity a = new RunIdentity("r", Map.of("xi", RunIdentity.canonical(10.0)));
        RunIdentity b = new RunIdentity("r", Map.of("xi", RunIdentity.canonical(10L)));
        assertEquals(Optional.empty(), a.difference(b));
        assertEquals(RunIdentity.canonical(1e-7), RunIdentity.canonical(1.0E-7));
        assertNotEquals(RunIdentity.canonical(0.1), RunIdentity.canonical(0.10000000000000002));
    }

    @Test
    void theIdentityTravelsInTheCheckpoint() throws IOException {
        Trainer t = new Trainer(TINY);
        Path file = tmp.resolve("c.npz");
        TrainerState.save(t, file, "run-1");
        assertEquals(Optional.empty(), TrainerState.identity(file).difference(of("run-1", TINY)));
        TrainerState.restore(new Trainer(TINY.toBuilder().steps(9).build()), file, "run-1"); // --steps extends it

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> TrainerState.restore(new Trainer(TINY), file, "run-2"));
        assertTrue(other.getMessage().contains("is from another run: run id run-1 vs run-2"), other.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> TrainerState.restore(new Trainer(TINY.toBuilder().batch(8).build()), file, "run-1"));
        assertTrue(batch.getMessage().contains("batch 4 vs 8"), batch.getMessage());
    }

    @Test
    void newRunIdsDiffer() {
        assertNotEquals(RunIdentity.newRunId(), RunIdentity.newRunId());
        assertTrue(RunIdentity.newRunId().matches("\\d{8}T\\d{6}Z-[0-9a-z]+"));
    }
}
