package io.sipflow.physics.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input table of README's "When things go wrong": each input stops at once (before any training) with the
 * exit code and a message that names the user's path or value and the reason. {F} is a regular file, {R} a folder
 * holding an earlier run's results, {C} an earlier comparison, {E} an empty folder, {N} a folder that does not exist yet, {M} a model.npz
 * with no run.json beside it, {B} a model.npz whose run.json is broken, {X} a .npy file with a truncated header.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(tmp.resolve("file"), "x");
        Files.createDirectories(tmp.resolve("results"));
        Files.writeString(tmp.resolve("results/run.json"), "{}");
        Files.createDirectories(tmp.resolve("empty"));
        Files.createDirectories(tmp.resolve("cmp/sip"));
        Files.writeString(tmp.resolve("cmp/sip/run.json"), "{}");
        Files.createDirectories(tmp.resolve("lonely"));
        Files.writeString(tmp.resolve("lonely/model.npz"), "not used");
        Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(tmp.resolve("broken/model.npz"), "not used");
        Files.writeString(tmp.resolve("broken/run.json"), "{\"resolution\": NaN}");
        byte[] npy = io.sipflow.nn.io.Npy.toBytes(io.sipflow.autodiff.Tensor.vector(1, 2, 3));
        Files.write(tmp.resolve("short.npy"), java.util.Arrays.copyOf(npy, 30));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "train --lr Infinity --out {N}                 | 2 | learning rate must be a finite number > 0, got Infinity",
            "train --lr NaN --out {N}                      | 2 | learning rate must be a finite number > 0, got NaN",
            "train --out {F}                               | 2 | --out {F} is a file, not a folder",
            "train --out {F}/sub                           | 2 | --out {F}/sub cannot be created: {F} is a file",
            "train --out ''                                | 2 | --out is empty",
            "train --out /proc/sipflow-test/run            | 2 | --out /proc/sipflow-test/run is not writable",
            "train --out {R}                               | 2 | --out {R} already holds the results of an earlier run (run.json); pass --overwrite",
            "compare --out {C}                             | 2 | --out {C} already holds the results of an earlier run (sip/run.json)",
            "train --threads 32768 --out {N}               | 2 | --threads 32768 is more than",
            "train --resolution 2147483640 --out {N}       | 1 | sipflow train: error: batch 64 at 2147483640x2147483640 needs tensors",
            "train --method hig --out {N}                  | 2 | HIG: the per-example Jacobian would be 32768 × 37697",
            "train --problem wave --out {N}                | 2 | unknown problem 'wave'; expected one of heat, poisson, sin",
            "compare --methods sip,sip --out {N}           | 2 | --methods names sip twice",
            "train --option xi=0.5 --out {N}               | 2 | --option xi: problem heat has no options",
            "train --resume {E}                            | 2 | --resume {E}: no run to resume there",
            "compare --resume {E}                          | 2 | --resume {E}: no run to resume there",
            "train --resume {E} --batch 4                  | 2 | --batch: --resume continues with the settings recorded in {E}; only --steps and --checkpoint-every may be given",
            "physics diffuse --in {F} --out {N} --amount -8 | 2 | --amount must be a finite number > 0, got -8.0",
            "physics inverse --in {F} --out {N} --uncertainty-scale NaN | 2 | --uncertainty-scale must be a finite number > 0",
            "physics poisson --in {F} --out {N} --tolerance -1 | 2 | --tolerance must be a finite number > 0, got -1.0",
            "evaluate --model {M}                          | 2 | no run.json beside {M}",
            "evaluate --model {B}                          | 2 | cannot read {D}/run.json beside the model",
            "physics diffuse --in {X} --out {N}            | 1 | the .npy header says it is 118 bytes long, but only 20 bytes follow",
            "train --problem sin --option xi=0 --out {N}    | 2 | --option xi=0.0: problem sin needs xi to be a finite number > 0",
            "train --problem sin --option xi=NaN --out {N}  | 2 | --option xi=NaN: problem sin needs xi to be a finite number > 0",
            "train --problem sin --option xi=1,10 --out {N} | 2 | --option xi takes one value here, got 1,10; sweep --option xi=1,10 trains at each",
            "train --problem sin --option xi=ten --out {N} | 2 | --option xi=ten: 'ten' is not a number",
            "train --steps -1 --out {N}                    | 2 | --steps -1: steps must be >= 0, got -1",
            "train --resolution 12 --out {N}               | 2 | --resolution 12: resolution must be a positive multiple of 2^3 = 8",
            "train --batch 1 --resolution 8 --out {N}      | 2 | batch 1 at 8x8: the U-Net's batch norm would see one value per channel at its deepest level (1x1) and needs more than one value per channel",
            "train --test-batch 1 --resolution 8 --out {N} | 2 | test batch 1 at 8x8: the U-Net's batch norm would see one value",
            "train --out {N}/{256}                         | 2 | --out {N}/{256} is not writable: the name rrrrrrrrrrrrrrrr… is 256 bytes long; this file system allows at most 255",
            "compare --out {N}/{256}                       | 2 | is 256 bytes long; this file system allows at most 255",
            "train --resume {E} --overwrite                | 2 | --resume continues the run in {E} and --overwrite would replace it"})
    void stopsAtOnceWithAClearMessage(String args, int code, String expected) {
        String f = tmp.resolve("file").toString();
        List<String> argv = new ArrayList<>();
        for (String a : args.trim().split(" +")) {
            argv.add(a.equals("''") ? "" : fill(a));
        }
        if (!argv.contains("--threads")) {
            argv.add("--threads");
            argv.add("1");
        }
        CliErrorPathTest.Run r = CliErrorPathTest.run(argv.toArray(new String[0]));
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(fill(expected)), "expected '" + fill(expected) + "' in:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
        assertFalse(Files.exists(tmp.resolve("new")), "nothing written for a refused run");
        assertTrue(f.length() > 0);
    }

    private String fill(String s) {
        return s.replace("{F}", tmp.resolve("file").toString()).replace("{R}", tmp.resolve("results").toString())
                .replace("{C}", tmp.resolve("cmp").toString())
                .replace("{E}", tmp.resolve("empty").toString()).replace("{N}", tmp.resolve("new").toString())
                .replace("{M}", tmp.resolve("lonely/model.npz").toString())
                .replace("{B}", tmp.resolve("broken/model.npz").toString())
                .replace("{D}", tmp.resolve("broken").toString()).replace("{X}", tmp.resolve("short.npy").toString())
                .replace("{256}", "r".repeat(256));
    }
}
