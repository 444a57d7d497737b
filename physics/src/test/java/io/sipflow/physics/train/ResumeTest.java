package io.sipflow.physics.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A run restored from a checkpoint continues bit for bit: same weights, optimizer, metrics and data stream. */
class ResumeTest {
    private static final TrainConfig TINY = TrainConfig.builder().steps(9).batch(4).resolution(8).testBatch(4)
            .testEvery(4).checkpointEvery(5).build();

    @TempDir
    Path tmp;

    /** Thrown from the listener to stop a run right after a checkpoint, as a kill would. */
    private static final class Killed extends RuntimeException {
    }

    @Test
    void aRestoredRunEndsExactlyLikeAnUninterruptedOne() throws IOException {
        for (Method method : new Method[] {Method.SIP, Method.GD, Method.SGD, Method.ADAHESSIAN, Method.HESSIAN_FREE}) {
            TrainConfig config = TINY.withMethod(method);
            Trainer whole = new Trainer(config);
            whole.run(m -> { });

            Path file = tmp.resolve(method.id() + ".npz");
            Trainer first = new Trainer(config);
            try {
                first.run(new Trainer.Listener() {
                    @Override
                    public void onStep(StepMetrics m) {
                    }

                    @Override
                    public void onCheckpointDue(int step) {
                        try {
                            TrainerState.save(first, file, "resume-test");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        throw new Killed();
                    }
                });
            } catch (Killed expected) {
                // stopped at step 5
            }
            first.step(); // work after the checkpoint is lost with the process
            Trainer resumed = new Trainer(config);
            TrainerState.restore(resumed, file, "resume-test");
            assertEquals(5, resumed.stepHistory().size());
            resumed.run(m -> { });

            assertEquals(whole.testHistory().toString(), resumed.testHistory().toString(), method + " tests");
            for (int i = 0; i < whole.stepHistory().size(); i++) {
                StepMetrics a = whole.stepHistory().get(i);
                StepMetrics b = resumed.stepHistory().get(i);
                assertEquals(a.loss(), b.loss(), 0.0, method + " loss at " + i);
                assertEquals(a.headline(), b.headline(), method + " x_l2 at " + i);
                assertEquals(a.yL2Mean(), b.yL2Mean(), 0.0, method + " y_l2 at " + i);
            }
            var pw = whole.network().namedParameters();
            resumed.network().namedParameters().forEach((name, p) -> assertArrayEquals(
                    pw.get(name).value().toDoubleArray(), p.value().toDoubleArray(), 0.0, method + " " + name));
            var bw = whole.network().namedBuffers();
            resumed.network().namedBuffers().forEach((name, b) -> assertArrayEquals(
                    bw.get(name).value().toDoubleArray(), b.value().toDoubleArray(), 0.0, method + " " + name));
        }
    }
}
