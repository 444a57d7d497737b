package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.nn.Parameter;
import io.sipflow.physics.Laplace;
import io.sipflow.physics.problem.PoissonProblem;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A physics solve that does not converge inside training ({@code Solve.NotConverged}) stops the run through the
 * trainer as a non-finite value does: the step is not applied, run.json says "diverged" with the solver's
 * iteration count and residual, and the good steps are written.
 */
class SolverStopTest {
    @TempDir
    Path tmp;

    /** Poisson whose n-th forward solve (counting from 0) gets one CG iteration, far too few; every other is as usual. */
    static final class StarvedSolve implements Problem {
        private final PoissonProblem poisson;
        private final int starvedCall;
        private int calls;

        StarvedSolve(int resolution, int starvedCall) {
            this.poisson = new PoissonProblem(resolution);
            this.starvedCall = starvedCall;
        }

        @Override public String id() { return poisson.id(); }
        @Override public Batch sample(int size, SplittableRandom random) { return poisson.sample(size, random); }
        @Override public void skip(int size, SplittableRandom random) { poisson.skip(size, random); }
        @Override public Tensor sipTarget(Tensor x, Tensor y, Tensor yT) { return poisson.sipTarget(x, y, yT); }
        @Override public Module newNetwork(long seed) { return poisson.newNetwork(seed); }
        @Override public Tensor predict(Module network, Tensor yTarget) { return poisson.predict(network, yTarget); }
        @Override public LinkedHashMap<String, Object> settings() { return poisson.settings(); }

        @Override
        public Tensor physics(Tensor x) {
            return calls++ == starvedCall ? Laplace.solve(x, Laplace.TOLERANCE, 1) : poisson.physics(x);
        }

        @Override
        public LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch) {
            // the metrics' y_l2 solves too: it goes through this problem's physics, and so counts
            LinkedHashMap<String, Tensor> m = poisson.metrics(x, batch);
            m.put("y_l2", Problem.l2(physics(x.stopGradient()).sub(batch.yTarget())));
            return m;
        }
    }

    @Test
    void aSolveThatDoesNotConvergeStopsTheRunWithItsIterationsAndResidualInRunJson() throws Exception {
        TrainConfig config = TrainConfig.builder().problem("poisson").method(Method.GD).steps(6).batch(4)
                .resolution(16).testBatch(4).testEvery(6).checkpointEvery(0).build();
        // call 0: the test at step 0; each step solves in its loss and in its metrics (calls 1-2, 3-4); call 5 is
        // step 2's loss
        StarvedSolve problem = new StarvedSolve(16, 5);
        Trainer trainer = new Trainer(config, problem);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TrainingRun.Summary s = TrainingRun.execute(trainer, tmp, "run-solver", new CommonOptions(),
                new PrintWriter(out), new PrintWriter(err), false, false);

        Trainer.Divergence d = trainer.divergence();
        assertTrue(s.diverged() && d.solverFailed(), "the run stopped on the solver: " + d);
        assertEquals(2, d.step(), "step 2 was not applied");
        assertEquals(2, trainer.stepHistory().size(), "steps 0 and 1 are kept");
        assertEquals(1, d.solverIterations());
        assertTrue(d.solverResidual() > Laplace.TOLERANCE && Double.isFinite(d.solverResidual()), "residual "
                + d.solverResidual());
        assertTrue(err.toString().contains("diverged at step 2: a physics solve that failed after 1"
                + " iterations"), err.toString());

        Map<String, Object> json = Json.read(Files.readString(tmp.resolve("run.json")));
        assertEquals("diverged", json.get("status"));
        assertEquals(2, ((Number) json.get("diverged_at_step")).intValue());
        assertEquals(2, ((Number) json.get("steps_done")).intValue());
        assertEquals(1, ((Number) json.get("solver_iterations")).intValue());
        assertEquals(d.solverResidual(), ((Number) json.get("solver_residual")).doubleValue(), 0.0);
        assertTrue(json.get("diverged_because").toString().contains("relative residual"), json.toString());

        // the failed step changed nothing: the weights are those a clean two-step run ends with
        Trainer clean = new Trainer(config.toBuilder().steps(2).build(), new StarvedSolve(16, -1));
        clean.run(m -> { });
        List<Parameter> a = trainer.network().parameters();
        List<Parameter> b = clean.network().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).value().toDoubleArray(), a.get(i).value().toDoubleArray(), a.get(i).name());
        }
    }

    @Test
    void aRunWithoutSolverTroubleRecordsNoSolverFields() throws Exception {
        TrainConfig config = TrainConfig.builder().problem("poisson").method(Method.SIP).steps(1).batch(4)
                .resolution(16).testBatch(4).testEvery(1).checkpointEvery(0).build();
        TrainingRun.execute(new Trainer(config), tmp, "run-fine", new CommonOptions(), new PrintWriter(
                new StringWriter()), new PrintWriter(new StringWriter()), false, false);
        Map<String, Object> json = Json.read(Files.readString(tmp.resolve("run.json")));
        assertEquals("finished", json.get("status"));
        assertTrue(json.containsKey("solver_iterations") && json.get("solver_iterations") == null, json.toString());
    }
}
