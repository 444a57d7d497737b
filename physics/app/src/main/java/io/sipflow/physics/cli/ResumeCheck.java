package io.sipflow.physics.cli;

import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.RunIdentity;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.TrainerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A resume never mixes runs. Before a run folder is resumed, its checkpoint.json must name a run id, agree with
 * the settings the resume runs with (all but {@link TrainConfig#RESUMABLE}), and its checkpoint.npz and any
 * run.json beside them must come from that same run. Each refusal names the file and what differs.
 */
final class ResumeCheck {
    private ResumeCheck() {
    }

    /** The run id of the run in {@code dir}, which {@code config} continues; IllegalArgumentException otherwise. */
    static String runId(Path dir, TrainConfig config) throws IOException {
        Path json = dir.resolve(TrainOptions.CHECKPOINT_JSON);
        Path npz = dir.resolve(TrainOptions.CHECKPOINT_NPZ);
        Map<String, Object> recorded = read(json);
        Object id = recorded.get(TrainingRun.RUN_ID);
        if (id == null) {
            throw new IllegalArgumentException(json + " names no run id (it was written before sipflow 0.2), so "
                    + npz.getFileName() + " cannot be shown to belong to it; start the run again with --overwrite");
        }
        String runId = id.toString();
        RunIdentity expected = RunIdentity.of(runId, config, Problems.create(config));
        TrainConfig inJson = TrainConfig.fromSettings(recorded);
        RunIdentity.of(runId, inJson, Problems.create(inJson)).difference(expected).ifPresent(d -> {
            throw new IllegalArgumentException(json + " is another run than the one being resumed: " + d);
        });
        RunIdentity inNpz;
        try {
            inNpz = TrainerState.identity(npz);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + npz + ": " + e.getMessage(), e);
        }
        inNpz.difference(expected).ifPresent(d -> {
            throw new IllegalArgumentException(npz + " is from another run than " + json.getFileName() + " beside it ("
                    + d + "); a resume never mixes two runs: resume the folder the checkpoint came from, or start"
                    + " again with --overwrite");
        });
        Path results = dir.resolve("run.json");
        if (Files.isRegularFile(results)) {
            Object resultsId = read(results).get(TrainingRun.RUN_ID);
            if (!runId.equals(resultsId)) {
                throw new IllegalArgumentException(results + " holds the results of another run (run id " + resultsId
                        + ") than the checkpoint (run id " + runId + "): an interrupted --overwrite or a copy left them"
                        + " side by side; start again with --overwrite");
            }
        }
        return runId;
    }

    private static Map<String, Object> read(Path file) {
        try {
            return Json.read(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
