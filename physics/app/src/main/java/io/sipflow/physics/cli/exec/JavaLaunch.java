package io.sipflow.physics.cli.exec;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a task starts sipflow's command-line program: the JVM and class path of the process that writes the tasks,
 * so tasks run the already-built jar (and the user's own problem jars on {@code SIPFLOW_CLASSPATH}), with the
 * options the {@code sipflow} launcher gives every run.
 *
 * @param java the {@code java} program
 * @param classpath the class path entries, absolute
 * @param mainClass the command-line program's main class
 */
public record JavaLaunch(String java, List<String> classpath, String mainClass) {
    /** The options the launcher starts every run with: the Vector API module the fast kernels use, no display. */
    public static final List<String> LAUNCHER_OPTIONS = List.of("--add-modules", "jdk.incubator.vector",
            "-Djava.awt.headless=true");

    /** Copies the class path. */
    public JavaLaunch {
        classpath = List.copyOf(classpath);
    }

    /**
     * This process's JVM and class path (relative entries made absolute against the working folder).
     *
     * @param mainClass the main class tasks run
     * @return the launch
     */
    public static JavaLaunch current(String mainClass) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        return new JavaLaunch(java, entries, mainClass);
    }

    /** {@return the class path as one {@code -cp} argument} */
    public String classpathArgument() {
        return String.join(File.pathSeparator, classpath);
    }
}
