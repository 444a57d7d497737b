package io.sipflow.physics.cli;

import io.sipflow.physics.cli.exec.JavaLaunch;
import io.sipflow.physics.cli.exec.RunTask;
import io.sipflow.physics.train.Setting;
import io.sipflow.physics.train.Settings;
import io.sipflow.physics.train.TrainConfig;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * The runs of a comparison or sweep as {@link RunTask}s: each an ordinary {@code sipflow train} whose command
 * line makes exactly the run's config (checked by parsing it back), with its own planned heap.
 */
final class RunTasks {
    private RunTasks() {
    }

    /**
     * One task per run.
     *
     * @param specs the runs and their folders
     * @param common the command's backend and threads
     * @param threads the worker threads of each task
     * @param detectAnomaly whether each run checks every op
     */
    static List<RunTask> of(List<CompareCommand.RunSpec> specs, CommonOptions common, int threads,
                            boolean detectAnomaly) {
        List<RunTask> tasks = new ArrayList<>();
        for (CompareCommand.RunSpec s : specs) {
            List<String> settings = settingArguments(s.config());
            if (detectAnomaly) {
                settings.add("--detect-anomaly");
            }
            List<String> runtime = List.of("--backend", common.backend, "--threads", String.valueOf(threads));
            List<String> line = new ArrayList<>(List.of("train"));
            line.addAll(settings);
            line.addAll(runtime);
            requireSameRun(s.config(), line);
            String plan = heapPlan(line);
            tasks.add(new RunTask(s.folder(), plan.isEmpty() ? List.of() : List.of(plan.split(" ")), settings,
                    runtime));
        }
        return tasks;
    }

    /**
     * The launcher's heap options for a task, or none (the JVM's default heap) when the run does not fit on this
     * machine: a Slurm task runs on a compute node, which may well be larger than the machine that submits it;
     * {@code train} there checks again.
     */
    private static String heapPlan(List<String> line) {
        try {
            return HeapPlan.plan(line.toArray(new String[0]));
        } catch (HeapPlan.DoesNotFit e) {
            return "";
        }
    }

    /**
     * The memory a task asks Slurm for, in MiB: its planned heap and 1 GiB for the JVM itself (code, metaspace,
     * thread stacks, the kernels' off-heap buffers); 0 when no task has a planned heap.
     */
    static long memoryMb(List<RunTask> tasks) {
        long most = 0;
        for (RunTask t : tasks) {
            for (String o : t.jvmOptions()) {
                if (o.startsWith("-Xmx") && o.endsWith("m")) {
                    most = Math.max(most, Long.parseLong(o.substring(4, o.length() - 1)));
                }
            }
        }
        return most == 0 ? 0 : most + 1024;
    }

    /** The launch of this process: its JVM and class path, sipflow's main class. */
    static JavaLaunch launch() {
        return JavaLaunch.current(SipflowCli.class.getName());
    }

    /**
     * {@code train} options that make {@code c}: each setting {@code c} records, by its declared flag (a yes/no
     * setting only when set), then the problem's options as {@code --option NAME=VALUE}.
     */
    static List<String> settingArguments(TrainConfig c) {
        List<String> args = new ArrayList<>();
        for (Setting<?> s : Settings.all()) {
            if (s.recordedIn(c)) {
                add(args, s, c);
            }
        }
        c.options().forEach((name, value) -> {
            args.add("--option");
            args.add(name + "=" + value);
        });
        return args;
    }

    private static <T> void add(List<String> args, Setting<T> s, TrainConfig c) {
        T value = c.get(s);
        if (s.type() == Boolean.class) {
            if (Boolean.TRUE.equals(value)) {
                args.add(s.flag());
            }
            return;
        }
        args.add(s.flag());
        args.add(String.valueOf(s.toJson(value))); // the run.json form reads back exactly (shortest double text)
    }

    /** Parses {@code line} as the {@code train} command would and checks it makes {@code expected}. */
    private static void requireSameRun(TrainConfig expected, List<String> line) {
        List<String> withOut = new ArrayList<>(line);
        withOut.addAll(List.of("--out", "unused"));
        CommandLine cl = SipflowCli.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs(withOut.toArray(new String[0]));
        TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();
        TrainConfig made = train.config();
        if (!made.settings().equals(expected.settings())) {
            throw new IllegalStateException("the task command line " + String.join(" ", line) + " makes the run "
                    + made.settings() + ", not " + expected.settings());
        }
    }
}
