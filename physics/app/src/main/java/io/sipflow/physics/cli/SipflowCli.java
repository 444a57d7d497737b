package io.sipflow.physics.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code sipflow}: learn to invert physics (heat conduction, Poisson, the sin problem) with scale-invariant updates. */
@Command(name = "sipflow", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Learning to invert physics with scale-invariant physics (SIP) updates: heat, Poisson, sin.",
                "Start with:  sipflow compare   (SIP vs gradient descent, a few minutes on 2 cores)"},
        subcommands = {TrainCommand.class, CompareCommand.class, SweepCommand.class, EvaluateCommand.class,
                GenerateCommand.class, PhysicsCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class SipflowCli implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // the list comes from the registered subcommands, so a new one is never left out
        java.util.List<String> names = new java.util.ArrayList<>(spec.subcommands().keySet());
        names.remove("help");
        String last = names.remove(names.size() - 1);
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: " + String.join(", ", names) + " or " + last);
    }

    /** The configured command line; tests call {@code commandLine().execute(args)} in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SipflowCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(SipflowCli::reportFailure);
        CommandLine.IParameterExceptionHandler picocliDefault = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, args) -> {
            if (e.getClass() != CommandLine.ParameterException.class) {
                return picocliDefault.handleParseException(e, args); // unknown or missing options: with usage
            }
            CommandLine sub = e.getCommandLine();
            String who = sub.getCommandSpec().qualifiedName();
            sub.getErr().println(who + ": " + e.getMessage());
            sub.getErr().println("Try '" + who + " --help' for the options.");
            sub.getErr().flush();
            return 2;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println(outOfMemoryAdvice(Runtime.getRuntime().maxMemory()));
            code = 1;
        }
        closeOutputAndAwaitFilter();
        System.exit(code);
    }

    /** The shell's status for a process ended by SIGINT (128 + 2); after SIGTERM the JVM itself exits with 143. */
    static final int STOPPED_BY_SIGNAL = 130;

    /**
     * Flushes both streams, closes stderr and waits (at most a second) for this JVM's child processes to end. The
     * launcher passes stderr through a filter that is a child of the JVM it became; the filter ends once stderr
     * closes, and waiting for it means that no line of ours reaches the terminal after the exit status does.
     */
    static void closeOutputAndAwaitFilter() {
        System.out.flush();
        System.err.flush();
        System.err.close();
        long deadline = System.nanoTime() + 1_000_000_000L;
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            try {
                child.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return; // the filter is still busy: its remaining lines follow the exit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One line for a run that outgrew its heap: the limit, who chose it, and how to raise it. */
    static String outOfMemoryAdvice(long maxHeapBytes) {
        long mb = maxHeapBytes >> 20;
        String planned = System.getProperty("sipflow.heap.plan");
        return "sipflow: error: out of Java heap (limit " + mb + " MB"
                + (planned != null ? ", sized by the launcher for this run" : "")
                + "); files already written are unchanged. Rerun with more, e.g. SIPFLOW_JAVA_OPTS=-Xmx"
                + Math.max(2 * mb, 1024) + "m ./sipflow ...";
    }

    /** Expected failures (bad input files, wrong shapes, bad settings) get one line naming the command; exit 1. */
    private static int reportFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String who = cl.getCommandSpec().qualifiedName();
        if (e instanceof GracefulStop.RunStopped) {
            return STOPPED_BY_SIGNAL; // the run said so already
        }
        if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalStateException) {
            cl.getErr().println(who + ": error: " + describe(e));
        } else {
            cl.getErr().println(who + ": unexpected error: " + e);
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return 1;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "file not found: " + n.getFile();
        }
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return u.getMessage() + ": " + u.getCause().getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
