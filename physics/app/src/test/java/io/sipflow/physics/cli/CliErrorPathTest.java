package io.sipflow.physics.cli;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npy;
import io.sipflow.physics.Diffuse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's failures: usage errors exit 2 with usage; bad inputs exit 1 with one clear line. */
class CliErrorPathTest {
    @TempDir
    Path tmp;

    /** Exit code, stdout and stderr of one in-process run. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SipflowCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void unknownFlagIsAUsageError() {
        Run r = run("train", "--bogus", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option") && r.err().contains("'--bogus'"), r.err());
        assertTrue(r.err().contains("Usage: sipflow train"), r.err());
    }

    @Test
    void badMethodNamesTheValidOnes() {
        Run r = run("train", "--method", "adam");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown method 'adam'; expected one of sip, gd, sgd, hig"), r.err());
    }

    @Test
    void resolutionThatTheUNetCannotPoolIsAUsageError() {
        Run r = run("compare", "--resolution", "30");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("resolution must be a positive multiple of 2^3 = 8, which a 4-level U-Net needs (try 16, 32 or 64), got 30"), r.err());
    }

    @Test
    void missingSubcommandAndMissingRequiredOptionAreUsageErrors() {
        assertEquals(2, run().code());
        assertEquals(2, run("physics").code());
        Run r = run("generate", "--batch", "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--out=FILE'"), r.err());
    }

    @Test
    void helpWorksForEverySubcommand() {
        for (String[] args : new String[][] {{"--help"}, {"train", "--help"}, {"compare", "--help"},
                {"evaluate", "--help"}, {"generate", "--help"}, {"physics", "--help"}, {"physics", "diffuse", "--help"},
                {"physics", "inverse", "--help"}, {"bench", "--help"}}) {
            Run r = run(args);
            assertEquals(0, r.code(), String.join(" ", args));
            assertTrue(r.out().contains("Usage: sipflow"), r.out());
        }
    }

    @Test
    void missingInputFileIsNamed() {
        Path missing = tmp.resolve("nope.npy");
        Run r = run("physics", "diffuse", "--in", missing.toString(), "--out", tmp.resolve("v.npy").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("sipflow physics diffuse: error: file not found: " + missing), r.err());
        assertTrue(!Files.exists(tmp.resolve("v.npy")));
    }

    @Test
    void missingModelIsNamed() {
        Run r = run("evaluate", "--model", tmp.resolve("model.npz").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("file not found: " + tmp.resolve("model.npz")), r.err());
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        Path vector = tmp.resolve("vector.npy");
        Npy.write(vector, Tensor.of(Shape.of(5), 1, 2, 3, 4, 5));
        Run r = run("physics", "inverse", "--in", vector.toString(), "--out", tmp.resolve("dx.npy").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has shape (5,); expected a field (R, R) or a batch of fields (B, R, R)"), r.err());
    }

    @Test
    void fileThatIsNotNpyIsNamed() throws IOException {
        Path junk = tmp.resolve("junk.npy");
        Files.writeString(junk, "not numpy");
        Run r = run("physics", "diffuse", "--in", junk.toString(), "--out", tmp.resolve("v.npy").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot read " + junk), r.err());
    }

    @Test
    void unknownBackendAndBadThreadCountAreUsageErrors() {
        Run r = run("generate", "--out", tmp.resolve("x.npy").toString(), "--backend", "quantum");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--backend: unknown backend 'quantum'; available: cpu"), r.err());
        Run t = run("generate", "--out", tmp.resolve("x.npy").toString(), "--threads", "0");
        assertEquals(2, t.code());
        assertTrue(t.err().contains("--threads must be at least 1, got 0"), t.err());
    }

    @Test
    void modelThatIsNotACheckpointIsNamed() throws IOException {
        Path notNpz = tmp.resolve("model.npz");
        Files.writeString(notNpz, "not a zip");
        Run r = run("evaluate", "--model", notNpz.toString(), "--resolution", "16");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot load --model " + notNpz + " as a heat network checkpoint"), r.err());
        Run missing = run("evaluate", "--model", notNpz.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no run.json beside " + notNpz), missing.err());
    }

    @Test
    void generateThenDiffuseMatchesTheLibrary() throws IOException {
        Path x = tmp.resolve("x.npy");
        Path v = tmp.resolve("v.npy");
        assertEquals(0, run("generate", "--batch", "3", "--resolution", "16", "--seed", "5", "--out", x.toString()).code());
        Tensor field = Npy.read(x);
        assertEquals(Shape.of(3, 16, 16), field.shape());
        assertEquals(0, run("physics", "diffuse", "--in", x.toString(), "--out", v.toString(), "--amount", "2").code());
        assertArrayEquals(Diffuse.fourier(field, 2, 1).toDoubleArray(), Npy.read(v).toDoubleArray(), 1e-15);
        Path dx = tmp.resolve("dx.npy");
        assertEquals(0, run("physics", "inverse", "--in", v.toString(), "--out", dx.toString(), "--amount", "2").code());
        assertEquals(Shape.of(3, 16, 16), Npy.read(dx).shape());
    }

    /** What a newcomer sees first: every subcommand named, bench's summary a whole sentence. */
    @Test
    void theTopLevelListsEverySubcommandInWholeSentences() {
        Run r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing subcommand: train, compare, sweep, evaluate, generate, physics or bench"), r.err());
        Run help = run("--help");
        String bench = help.out().lines().filter(l -> l.trim().startsWith("bench")).findFirst().orElseThrow();
        assertTrue(bench.trim().endsWith("."), "bench's one-line summary is cut: " + bench);
    }
}
