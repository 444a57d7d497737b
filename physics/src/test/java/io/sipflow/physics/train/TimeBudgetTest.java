package io.sipflow.physics.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A time budget stops a run between steps once the steps' summed time reaches it. Tested by behaviour, not by
 * timings: a budget below any step's time allows exactly one step, none lets the run take every step.
 */
class TimeBudgetTest {
    private static final TrainConfig SIN = TrainConfig.builder().problem("sin").option("xi", 2).option("angle", 0)
            .steps(50).batch(8).testBatch(16).testEvery(20).checkpointEvery(0).build();

    @TempDir
    Path tmp;

    @Test
    void aBudgetBelowOneStepsTimeStopsAfterTheFirstStepAndTestsItsWeights() {
        Trainer t = new Trainer(SIN.toBuilder().timeBudgetSeconds(1e-12).build());
        t.run(m -> { });
        assertTrue(t.stoppedByTimeBudget());
        assertEquals(1, t.stepHistory().size(), "the budget is checked before each step, and one step used it up");
        assertEquals(List.of(0, 1), t.testHistory().stream().map(TestMetrics::step).toList(),
                "the run ends with a test of its last weights");
        assertTrue(t.trainedSeconds() > 0);
        assertEquals(t.stepHistory().get(0).stepMs() / 1e3, t.trainedSeconds(), 1e-12);
    }

    @Test
    void noBudgetRunsEveryStep() {
        Trainer t = new Trainer(SIN);
        t.run(m -> { });
        assertFalse(t.stoppedByTimeBudget());
        assertEquals(50, t.stepHistory().size());
        assertEquals(0, SIN.timeBudgetSeconds());
        assertFalse(SIN.settings().containsKey("time_budget_seconds"), "no budget, no new run.json key");
    }

    /** A budget-stopped run's steps are those of a step-budget run of the same length: the budget only cuts. */
    @Test
    void theStepsABudgetReachedAreTheSameAsAStepBudgetOfThatLength() {
        Trainer budget = new Trainer(SIN.toBuilder().timeBudgetSeconds(1e-12).build());
        budget.run(m -> { });
        Trainer steps = new Trainer(SIN.toBuilder().steps(budget.stepHistory().size()).build());
        steps.run(m -> { });
        assertEquals(steps.stepHistory().get(0).loss(), budget.stepHistory().get(0).loss(), 0);
        assertEquals(steps.testHistory().toString(), budget.testHistory().toString());
    }

    /** A restored run counts the restored steps' time: a budget already used up adds no step after a resume. */
    @Test
    void aResumedRunCountsTheTimeOfTheStepsBeforeTheCheckpoint() throws IOException {
        TrainConfig c = SIN.toBuilder().timeBudgetSeconds(1e-12).build();
        Trainer first = new Trainer(c);
        first.step();
        Path file = tmp.resolve("c.npz");
        TrainerState.save(first, file, "budget");
        Trainer resumed = new Trainer(c);
        TrainerState.restore(resumed, file, "budget");
        resumed.run(m -> { });
        assertEquals(1, resumed.stepHistory().size());
        assertTrue(resumed.stoppedByTimeBudget());
        assertEquals(first.stepHistory().get(0).means(), resumed.stepHistory().get(0).means(),
                "every metric's training mean survives the checkpoint");
    }

    @Test
    void meanOverTheLastTenthIsTheAuthorsSlice() {
        Trainer t = new Trainer(SIN.toBuilder().steps(25).build());
        t.run(m -> { });
        // the authors' y[len(y) * 90 // 100:]: of 25 steps, the last 25 − 22 = 3
        List<StepMetrics> s = t.stepHistory();
        double expected = (s.get(22).means().get("x_dist") + s.get(23).means().get("x_dist")
                + s.get(24).means().get("x_dist")) / 3;
        assertEquals(expected, t.meanOverLastSteps("x_dist", 10), 1e-15);
        assertEquals(s.get(24).headline().mean(), s.get(24).means().get("y_l2"), 0, "the headline is in the means");
        assertTrue(Double.isNaN(t.meanOverLastSteps("no_such_metric", 10)));
        assertThrows(IllegalArgumentException.class, () -> t.meanOverLastSteps("x_dist", 0));
    }

    @Test
    void aNegativeOrInfiniteBudgetIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SIN.toBuilder().timeBudgetSeconds(-1).build());
        assertTrue(e.getMessage().contains("time budget"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SIN.toBuilder().timeBudgetSeconds(Double.POSITIVE_INFINITY).build());
    }
}
