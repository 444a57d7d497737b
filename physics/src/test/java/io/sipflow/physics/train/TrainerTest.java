package io.sipflow.physics.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny end-to-end runs (16×16, batch 8, 25 steps): both methods must learn something on the held-out batch. */
class TrainerTest {
    private static final TrainConfig TINY = TrainConfig.builder().steps(25).batch(8).resolution(16).seed(3)
            .testBatch(16).testSeed(11).testEvery(25).build();

    @Test
    void theNetworkKeepsFloat32WeightsAsTheSeedDoes() {
        Trainer t = new Trainer(TINY);
        t.step();
        t.network().parameters().forEach(p -> assertEquals(io.sipflow.autodiff.DType.FLOAT32, p.value().dtype(), p.name()));
    }

    @Test
    void sipReducesHeldOutError() {
        assertLearns(TINY.withMethod(Method.SIP));
    }

    @Test
    void gdReducesHeldOutError() {
        assertLearns(TINY.withMethod(Method.GD));
    }

    private static void assertLearns(TrainConfig config) {
        Trainer t = new Trainer(config);
        t.run(m -> assertTrue(Double.isFinite(m.loss()), "loss at step " + m.step()));
        var tests = t.testHistory();
        assertEquals(2, tests.size(), "tests at step 0 and at the end");
        double before = tests.get(0).xL2Mean();
        double after = tests.get(1).xL2Mean();
        assertTrue(after < 0.7 * before, config.method() + ": test x_l2 " + before + " -> " + after);
        var steps = t.stepHistory();
        double early = (steps.get(0).xL2().mean() + steps.get(1).xL2().mean() + steps.get(2).xL2().mean()) / 3;
        int n = steps.size();
        double late = (steps.get(n - 3).xL2().mean() + steps.get(n - 2).xL2().mean() + steps.get(n - 1).xL2().mean()) / 3;
        assertTrue(late < early, config.method() + ": training x_l2 " + early + " -> " + late);
    }

    @Test
    void methodsStartFromIdenticalWeightsAndSeeIdenticalBatches() {
        Trainer sip = new Trainer(TINY.withMethod(Method.SIP));
        Trainer gd = new Trainer(TINY.withMethod(Method.GD));
        assertEquals(sip.test().toString(), gd.test().toString(), "same initial weights, same test batch");
        StepMetrics a = sip.step();
        StepMetrics b = gd.step();
        // x_l2 of step 0 is measured before the update: same weights and same batch give the same numbers.
        assertEquals(a.xL2(), b.xL2());
        assertEquals(a.yL2Mean(), b.yL2Mean(), 1e-9 * a.yL2Mean());
    }

    /** Testing changes nothing: the seed tests with batch statistics, and now without touching the running ones. */
    @Test
    void testingLeavesTheNetworkAsItWas() {
        Trainer t = new Trainer(TINY);
        t.step();
        java.util.List<double[]> before = new java.util.ArrayList<>();
        t.network().namedBuffers().values().forEach(b -> before.add(b.value().toDoubleArray()));
        TestMetrics first = t.test();
        TestMetrics second = t.test();
        assertEquals(first.toString(), second.toString(), "testing twice gives the same numbers");
        int i = 0;
        for (var b : t.network().namedBuffers().values()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(i++), b.value().toDoubleArray(), 0.0, b.name());
        }
    }
}
