package io.sipflow.physics.train;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trainer's whole state as a checkpoint (.npz, see {@link Checkpoint}): weights, batch-norm buffers, the
 * optimizer's moments and step, the step index, and, under {@code state.}:
 * <pre>
 * data.batches_drawn               the data stream's position: a resumed run re-derives the stream from the seed
 *                                  and skips this many batches (SplittableRandom's state cannot be saved)
 * train.loss, train.&lt;h&gt;_mean, …     every step's metrics so far (FLOAT64, so metrics.csv comes out identical)
 * train.mean.&lt;m&gt;                  every metric's training-batch mean per step (x_dist, …)
 * test.step, test.&lt;h&gt;_mean, …      every test result so far
 * run.identity                     the run's {@link RunIdentity} as UTF-8 bytes (one value per byte)
 * </pre>
 * Restoring into a fresh {@link Trainer} of the same run continues it bit for bit; a checkpoint of another run
 * (another run id, problem or setting) is refused before anything is loaded.
 */
public final class TrainerState {
    private TrainerState() {
    }

    private static final String IDENTITY = "run.identity";

    /**
     * Writes {@code trainer}'s state, as run {@code runId}, to {@code file} (atomically).
     *
     * @param trainer the trainer to save, at any step
     * @param file the {@code .npz} checkpoint, replaced if it exists
     * @param runId the run's identity, stored so that a resume can refuse another run's checkpoint
     * @throws IOException if the file cannot be written (an existing one is then unchanged)
     */
    public static void save(Trainer trainer, Path file, String runId) throws IOException {
        Map<String, Tensor> extra = new LinkedHashMap<>();
        byte[] identity = RunIdentity.of(runId, trainer.config(), trainer.problem()).toBytes();
        double[] bytes = new double[identity.length];
        for (int i = 0; i < identity.length; i++) {
            bytes[i] = identity[i] & 0xff;
        }
        extra.put(IDENTITY, vector(bytes));
        List<StepMetrics> steps = trainer.steps;
        extra.put("data.batches_drawn", scalar(steps.size()));
        if (!steps.isEmpty()) {
            extra.put("train.loss", vector(steps.stream().mapToDouble(StepMetrics::loss).toArray()));
            extra.put("train.headline_mean", vector(steps.stream().mapToDouble(m -> m.headline().mean()).toArray()));
            extra.put("train.headline_std", vector(steps.stream().mapToDouble(m -> m.headline().std()).toArray()));
            extra.put("train.headline_min", vector(steps.stream().mapToDouble(m -> m.headline().min()).toArray()));
            extra.put("train.headline_max", vector(steps.stream().mapToDouble(m -> m.headline().max()).toArray()));
            extra.put("train.headline_count", vector(steps.stream().mapToDouble(m -> m.headline().count()).toArray()));
            extra.put("train.y_l2_mean", vector(steps.stream().mapToDouble(StepMetrics::yL2Mean).toArray()));
            extra.put("train.step_ms", vector(steps.stream().mapToDouble(StepMetrics::stepMs).toArray()));
            for (String name : steps.get(0).means().keySet()) {
                extra.put(TRAIN_MEAN + name, vector(steps.stream().mapToDouble(m -> m.means().get(name)).toArray()));
            }
        }
        List<TestMetrics> tests = trainer.tests;
        if (!tests.isEmpty()) {
            extra.put("test.step", vector(tests.stream().mapToDouble(TestMetrics::step).toArray()));
            extra.put("test.headline_std", vector(tests.stream().mapToDouble(t -> t.headline().std()).toArray()));
            extra.put("test.headline_min", vector(tests.stream().mapToDouble(t -> t.headline().min()).toArray()));
            extra.put("test.headline_max", vector(tests.stream().mapToDouble(t -> t.headline().max()).toArray()));
            extra.put("test.headline_count", vector(tests.stream().mapToDouble(t -> t.headline().count()).toArray()));
            for (String name : tests.get(0).means().keySet()) {
                extra.put("test.mean." + name, vector(tests.stream().mapToDouble(t -> t.mean(name)).toArray()));
            }
        }
        Checkpoint.save(file, trainer.network(), trainer.optimizer(), steps.size(), extra);
    }

    /**
     * The identity of the run that wrote {@code file}.
     *
     * @param file a checkpoint {@link #save} wrote
     * @return the run identity stored in it
     * @throws IOException if the file cannot be read or is corrupted
     * @throws IllegalArgumentException if it records no identity (not a sipflow training checkpoint, or one
     *         written before sipflow 0.2)
     */
    public static RunIdentity identity(Path file) throws IOException {
        Tensor t = io.sipflow.nn.io.Npz.read(file).get("state." + IDENTITY); // Checkpoint keeps extras under "state."
        if (t == null) {
            throw new IllegalArgumentException(file + " records no run identity (not a sipflow training checkpoint,"
                    + " or one written before sipflow 0.2), so it cannot be shown to belong to this run");
        }
        double[] v = t.toDoubleArray();
        byte[] bytes = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            bytes[i] = (byte) v[i];
        }
        return RunIdentity.fromBytes(bytes);
    }

    /**
     * Loads {@code file} into {@code trainer} (fresh, the run {@code runId}): weights, optimizer, metrics, data
     * position. A checkpoint of another run is refused, naming what differs, before anything is loaded.
     *
     * @param trainer a trainer that has neither stepped nor tested, built from the checkpoint's config
     * @param file a checkpoint {@link #save} wrote
     * @param runId the identity of the run being resumed
     * @throws IOException if the file cannot be read or is corrupted
     * @throws IllegalStateException if the trainer has already stepped or tested
     * @throws IllegalArgumentException if the checkpoint belongs to another run, is not a training checkpoint, or
     *         does not fit the trainer's network and optimizer, naming the file and what differs
     */
    public static void restore(Trainer trainer, Path file, String runId) throws IOException {
        if (!trainer.steps.isEmpty() || !trainer.tests.isEmpty()) {
            throw new IllegalStateException("restore into a fresh trainer only");
        }
        RunIdentity expected = RunIdentity.of(runId, trainer.config(), trainer.problem());
        identity(file).difference(expected).ifPresent(d -> {
            throw new IllegalArgumentException(file + " is from another run: " + d + " (checkpoint vs this run)");
        });
        Checkpoint.Restored r = Checkpoint.restore(file, trainer.network(), trainer.optimizer());
        Map<String, Tensor> s = r.extra();
        int drawn = (int) need(file, s, "data.batches_drawn").item();
        if (drawn != r.step()) {
            throw new IllegalArgumentException(file + ": data position " + drawn + " differs from step " + r.step());
        }
        if (drawn > 0) {
            double[] loss = need(file, s, "train.loss").toDoubleArray();
            double[] mean = need(file, s, "train.headline_mean").toDoubleArray();
            double[] std = need(file, s, "train.headline_std").toDoubleArray();
            double[] min = need(file, s, "train.headline_min").toDoubleArray();
            double[] max = need(file, s, "train.headline_max").toDoubleArray();
            double[] count = need(file, s, "train.headline_count").toDoubleArray();
            double[] yL2 = need(file, s, "train.y_l2_mean").toDoubleArray();
            double[] ms = need(file, s, "train.step_ms").toDoubleArray();
            Map<String, double[]> metricMeans = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : s.entrySet()) {
                if (e.getKey().startsWith(TRAIN_MEAN)) {
                    metricMeans.put(e.getKey().substring(TRAIN_MEAN.length()), e.getValue().toDoubleArray());
                }
            }
            for (int i = 0; i < drawn; i++) {
                LinkedHashMap<String, Double> m = new LinkedHashMap<>();
                for (Map.Entry<String, double[]> e : metricMeans.entrySet()) {
                    m.put(e.getKey(), e.getValue()[i]);
                }
                trainer.steps.add(new StepMetrics(i, loss[i], new BatchStats((int) count[i], mean[i], std[i], min[i],
                        max[i]), yL2[i], ms[i], m));
            }
        }
        if (s.containsKey("test.step")) {
            double[] step = s.get("test.step").toDoubleArray();
            double[] std = need(file, s, "test.headline_std").toDoubleArray();
            double[] min = need(file, s, "test.headline_min").toDoubleArray();
            double[] max = need(file, s, "test.headline_max").toDoubleArray();
            double[] count = need(file, s, "test.headline_count").toDoubleArray();
            List<String> names = new ArrayList<>();
            Map<String, double[]> means = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : s.entrySet()) {
                if (e.getKey().startsWith("test.mean.")) {
                    names.add(e.getKey().substring("test.mean.".length()));
                    means.put(names.get(names.size() - 1), e.getValue().toDoubleArray());
                }
            }
            for (int i = 0; i < step.length; i++) {
                LinkedHashMap<String, Double> m = new LinkedHashMap<>();
                for (String n : names) {
                    m.put(n, means.get(n)[i]);
                }
                BatchStats headline = new BatchStats((int) count[i], m.get(names.get(0)), std[i], min[i], max[i]);
                trainer.tests.add(new TestMetrics((int) step[i], names.get(0), headline, m));
            }
        }
        trainer.skipBatches(drawn);
    }

    /** Entry prefix of each metric's training-batch means, e.g. {@code train.mean.x_dist}. */
    private static final String TRAIN_MEAN = "train.mean.";

    private static Tensor need(Path file, Map<String, Tensor> s, String name) {
        Tensor t = s.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": not a sipflow training checkpoint (no entry state." + name
                    + ")");
        }
        return t;
    }

    private static Tensor scalar(double v) {
        return Tensor.of(io.sipflow.autodiff.DType.FLOAT64, Shape.scalar(), v);
    }

    private static Tensor vector(double[] v) {
        return Tensor.wrap(Shape.of(v.length), v);
    }
}
