package io.sipflow.physics.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link GoldenRuns} in other JVMs give the committed digests of {@link GoldenDigestTest} (its rule on changing
 * them holds here too): with 256-bit vectors ({@code -XX:UseAVX=2}, what an AVX2-only CPU runs) at 1 thread, without
 * the Vector API (the plain-Java kernels) at 3 threads, and on a Temurin 25 JDK where one is installed. Each child
 * prints which kernels ran, and the test checks that they are the ones the flags select.
 */
class GoldenDigestAcrossJvmsTest {
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    @TempDir
    Path tmp;

    @Test
    void avx2VectorsAtOneThreadGiveTheGoldenFiles() throws Exception {
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"),
                () -> skip("-XX:UseAVX=2 is an x86 flag; this JVM runs on " + arch));
        Child c = run(thisJava(), List.of(VECTOR, "-XX:UseAVX=2"), 1);
        c.assertGolden();
        c.assertRan("conv2d backward weight / vector 256-bit × 2 passes");
        c.assertRan("conv2d forward / vector 256-bit");
        assertTrue(c.kernels.keySet().stream().noneMatch(k -> k.startsWith("parallel split")),
                "one thread splits no work: " + c.kernels);
    }

    @Test
    void withoutTheVectorApiAtThreeThreadsGiveTheGoldenFiles() throws Exception {
        Child c = run(thisJava(), List.of(), 3);
        c.assertGolden();
        assertEquals("scalar", c.description, c.log);
        c.assertRan("conv2d backward weight / scalar");
        c.assertRan("matmul float64 / scalar");
        c.assertRan("parallel split over threads");
    }

    @Test
    void jdk25GivesTheGoldenFiles() throws Exception {
        Optional<Path> java25 = jdk25();
        Assumptions.assumeTrue(java25.isPresent(),
                () -> skip("no Temurin 25 JDK under /usr/lib/jvm (temurin-25-jdk*): JDK 25 not checked"));
        Child c = run(java25.get(), List.of(VECTOR), 2);
        c.assertGolden();
        c.assertRan("conv2d backward weight / vector");
        c.assertRan("parallel split over threads");
    }

    /** Prints why a check is skipped (JUnit's report keeps only a count) and returns the reason. */
    private static String skip(String reason) {
        System.out.println("GoldenDigestAcrossJvmsTest skipped: " + reason);
        return reason;
    }

    private static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Optional<Path> jdk25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("temurin-25-jdk")).sorted()
                    .map(d -> d.resolve("bin").resolve("java")).filter(Files::isExecutable).findFirst();
        }
    }

    /** What a child JVM printed: the digests, the kernels that ran with their counts, and the kernels' description. */
    private record Child(Map<String, String> digests, Map<String, Long> kernels, String description, String log) {
        void assertGolden() {
            assertEquals(GoldenDigestTest.GOLDEN, digests, log);
        }

        void assertRan(String kernel) {
            assertTrue(kernels.keySet().stream().anyMatch(k -> k.startsWith(kernel)),
                    kernel + " did not run: " + kernels + "\n" + log);
        }
    }

    private Child run(Path java, List<String> jvmFlags, int threads) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "-Djava.awt.headless=true"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GoldenRuns.class.getName(),
                tmp.resolve("runs").toString(), Integer.toString(threads)));
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        assertTrue(done, "child JVM still running after 300 s: " + cmd + "\n" + out);
        assertEquals(0, p.exitValue(), "child JVM " + cmd + " failed:\n" + out);
        Map<String, String> digests = new TreeMap<>();
        Map<String, Long> kernels = new TreeMap<>();
        String description = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("digest ")) {
                String[] f = line.split(" ");
                digests.put(f[1], f[2]);
            } else if (line.startsWith("kernel ")) {
                String[] f = line.substring("kernel ".length()).split("\t");
                kernels.put(f[0], Long.parseLong(f[1]));
            } else if (line.startsWith("kernels ")) {
                description = line.substring("kernels ".length());
            }
        }
        return new Child(digests, kernels, description, String.join(" ", cmd) + "\n" + out);
    }
}
