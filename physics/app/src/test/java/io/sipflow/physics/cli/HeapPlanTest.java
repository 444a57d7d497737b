package io.sipflow.physics.cli;

import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.TrainingMemory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's heap options: from the same command line as the run, nothing for commands that do not train. */
class HeapPlanTest {
    @Test
    void theOpenClBackendKeepsTheJvmDefaultHeapBecauseItsArenasLiveThereToo() {
        assertTrue(HeapPlan.plan(new String[] {"train", "--preset", "seed"}).contains("-Xmx"));
        assertEquals("", HeapPlan.plan(new String[] {"train", "--preset", "seed", "--backend", "opencl"}));
        assertEquals("", HeapPlan.plan(new String[] {"bench", "--backend", "opencl"}));
    }

    @Test
    void trainingCommandsGetAFixedHeapSizedToTheirRun() {
        long mb = (TrainingMemory.heapBytes(TrainConfig.seedPreset().build()) + (1 << 20) - 1) >> 20;
        String plan = HeapPlan.plan(new String[] {"train", "--preset", "seed"});
        assertTrue(plan.startsWith("-Xms" + mb + "m -Xmx" + mb + "m "), plan);
        assertTrue(plan.contains("-XX:InitiatingHeapOccupancyPercent=100"), plan);
        assertTrue(plan.endsWith("-Dsipflow.heap.plan=" + mb + "m"), plan);
    }

    @Test
    void flagsOverrideThePresetAndCompareTakesItsLargestMethod() {
        String seed = HeapPlan.plan(new String[] {"train", "--preset", "seed"});
        String bigger = HeapPlan.plan(new String[] {"train", "--preset", "seed", "--batch", "512"});
        assertTrue(xmx(bigger) > xmx(seed), seed + " vs " + bigger);
        long sip = xmx(HeapPlan.plan(new String[] {"train", "--method", "sip", "--batch", "300", "--resolution", "64"}));
        long gd = xmx(HeapPlan.plan(new String[] {"train", "--method", "gd", "--batch", "300", "--resolution", "64"}));
        long both = xmx(HeapPlan.plan(new String[] {"compare", "--batch", "300", "--resolution", "64"}));
        assertEquals(Math.max(sip, gd), both);
        assertTrue(xmx(HeapPlan.plan(new String[] {"bench", "--batch", "256"}))
                > xmx(HeapPlan.plan(new String[] {"bench"})));
        long benchSteps = xmx(HeapPlan.plan(new String[] {"bench", "--no-layers"}));
        assertEquals(xmx(HeapPlan.plan(new String[] {"compare", "--batch", "128", "--resolution", "64",
            "--test-batch", "1"})), benchSteps, 1, "bench's steps plan like training's");
        assertTrue(xmx(HeapPlan.plan(new String[] {"bench"})) > benchSteps + 300,
                "the layer measurements hold every convolution's input and gradient at once");
    }

    @Test
    void otherCommandsHelpAndBadFlagsGetNoPlan() {
        assertEquals("", HeapPlan.plan(new String[] {"evaluate", "--model", "m.npz"}));
        assertEquals("", HeapPlan.plan(new String[] {"train", "--help"}));
        assertEquals("", HeapPlan.plan(new String[] {"train", "--batch", "many"}));
        assertEquals("", HeapPlan.plan(new String[] {}));
    }

    /** A batch or grid the machine cannot hold stops before the JVM starts (no -Xms the OS refuses, no hs_err). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "train --batch 20000, needs about",
            "train --resolution 2147483640, beyond the 2^31 - 1",
            "compare --batch 20000, needs about",
            "bench --batch 3000, needs about"})
    void aRunThatCannotFitStopsWithOneLine(String args, String expected) {
        HeapPlan.DoesNotFit e = org.junit.jupiter.api.Assertions.assertThrows(HeapPlan.DoesNotFit.class,
                () -> HeapPlan.plan(args.split(" "), 8L << 30));
        assertTrue(e.getMessage().contains(expected) && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void runningOutOfHeapSaysTheLimitAndHowToRaiseIt() {
        String line = SipflowCli.outOfMemoryAdvice(600L << 20);
        assertTrue(line.contains("out of Java heap (limit 600 MB") && line.contains("SIPFLOW_JAVA_OPTS=-Xmx1200m"), line);
    }

    private static long xmx(String plan) {
        for (String option : plan.split(" ")) {
            if (option.startsWith("-Xmx")) {
                return Long.parseLong(option.substring(4, option.length() - 1));
            }
        }
        throw new AssertionError("no -Xmx in '" + plan + "'");
    }

    @Test
    void secondOrderMethodsArePlannedForTheirHessianVectorProducts() {
        String[] seed = {"--preset", "seed"};
        long gd = xmx(HeapPlan.plan(new String[] {"train", "--method", "gd", seed[0], seed[1]}));
        for (String m : new String[] {"adahessian", "hessian-free"}) {
            long second = xmx(HeapPlan.plan(new String[] {"train", "--method", m, seed[0], seed[1]}));
            io.sipflow.physics.train.TrainConfig c = io.sipflow.physics.train.TrainConfig.seedPreset()
                    .method(io.sipflow.physics.train.Method.parse(m)).build();
            assertEquals((io.sipflow.physics.train.TrainingMemory.hvpHeapBytes(c) + (1 << 20) - 1) >> 20, second, m);
            assertTrue(second > gd, m + " needs more than a gradient step: " + second + " vs " + gd);
        }
        long compare = xmx(HeapPlan.plan(new String[] {"compare", "--methods", "sip,hessian-free", seed[0], seed[1]}));
        assertEquals(xmx(HeapPlan.plan(new String[] {"train", "--method", "hessian-free", seed[0], seed[1]})), compare);
    }
}
