package io.sipflow.physics.cli;

import io.sipflow.physics.cli.exec.JavaLaunch;
import io.sipflow.physics.cli.exec.RunTask;
import io.sipflow.physics.train.TrainConfig;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
            String plan = HeapPlan.plan(line.toArray(new String[0]));
            tasks.add(new RunTask(s.folder(), plan.isEmpty() ? List.of() : List.of(plan.split(" ")), settings,
                    runtime));
        }
        return tasks;
    }

    /** The launch of this process: its JVM and class path, sipflow's main class. */
    static JavaLaunch launch() {
        return JavaLaunch.current(SipflowCli.class.getName());
    }

    /** {@code train} options that make {@code c}: every recorded setting by its flag, problem options as --option. */
    static List<String> settingArguments(TrainConfig c) {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, Object> e : c.settings().entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (key.equals("adam_epsilon")) {
                continue; // no flag: always the default (requireSameRun would say otherwise)
            }
            if (key.startsWith("option.")) {
                args.add("--option");
                args.add(key.substring("option.".length()) + "=" + v);
            } else if (v instanceof Boolean b) {
                if (b) {
                    args.add(flag(key));
                }
            } else {
                args.add(flag(key));
                args.add(String.valueOf(v));
            }
        }
        return args;
    }

    private static String flag(String key) {
        return switch (key) {
            case "learning_rate" -> "--lr";
            default -> "--" + key.replace('_', '-');
        };
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
