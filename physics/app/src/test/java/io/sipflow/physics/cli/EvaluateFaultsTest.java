package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate} never reports numbers that are not finite as a success, and never loses its metrics to a failed
 * picture: a model whose scores come out NaN exits 3 with the trainer's wording ("non-finite values in …"), and a
 * model in a folder it cannot write still prints its metrics before saying that examples.png failed.
 */
class EvaluateFaultsTest {
    private static final String METRICS = "on 4 examples (8x8, seed 1): x_l2 ";

    @TempDir
    Path tmp;

    /** Finite weights (so the model loads) whose outputs overflow float32: a batch-norm scale of 3e38. */
    @Test
    void aModelWhoseScoreIsNotFiniteExitsThree() throws IOException {
        Path dir = trainedRun("nan");
        Path model = dir.resolve("model.npz");
        Map<String, Tensor> weights = new LinkedHashMap<>(Npz.read(model));
        Tensor scale = weights.get("up3.norm2.weight");
        weights.put("up3.norm2.weight", scale.mul(0).add(3e38f));
        Npz.write(model, weights);
        Path out = tmp.resolve("eval");
        CliErrorPathTest.Run r = CliErrorPathTest.run("evaluate", "--model", model.toString(), "--out", out.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(METRICS + "NaN"), "the metrics, as they are: " + r.out());
        assertTrue(r.err().contains("non-finite values in the test metrics (x_l2 NaN"), r.err());
        assertFalse(Files.exists(out.resolve("examples.png")), "no picture of a broken model");
    }

    @Test
    void aModelInAFolderItCannotWriteStillPrintsItsMetrics() throws IOException {
        Path dir = trainedRun("ro");
        Files.delete(dir.resolve("examples.png"));
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", dir.resolve("model.npz").toString()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (Files.isWritable(dir)) { // root writes anyway: point examples.png below a file instead
                Path file = Files.writeString(tmp.resolve("a-file"), "");
                args.addAll(List.of("--out", file.resolve("sub").toString()));
            }
            CliErrorPathTest.Run r = CliErrorPathTest.run(args.toArray(new String[0]));
            assertEquals(1, r.code(), r.err());
            assertTrue(r.out().contains(METRICS), "the metrics come first: " + r.out());
            assertTrue(r.err().contains("examples.png") && r.err().contains("the metrics above are complete"),
                    r.err());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private Path trainedRun(String name) {
        Path dir = tmp.resolve(name);
        CliErrorPathTest.Run r = CliErrorPathTest.run("train", "--resolution", "8", "--batch", "4", "--test-batch", "4",
                "--steps", "2", "--threads", "1", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        return dir;
    }
}
