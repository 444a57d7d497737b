package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * picocli reads option descriptions as format strings: a bare '%' (as in "95% intervals") makes it print
 * "[picocli WARN] Could not format ..." on stderr and show the raw text. Every command's help must render cleanly.
 */
class HelpFormatTest {
    @Test
    void everyCommandsHelpRendersWithoutFormatWarnings() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int commands = 0;
        StringBuilder raw = new StringBuilder();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Deque<CommandLine> todo = new ArrayDeque<>();
            todo.add(SipflowCli.commandLine());
            while (!todo.isEmpty()) {
                CommandLine cl = todo.poll();
                String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
                if (usage.contains("%n")) {
                    raw.append(cl.getCommandName()).append(' ');
                }
                commands++;
                todo.addAll(cl.getSubcommands().values());
            }
        } finally {
            System.setErr(original);
        }
        String warnings = err.toString(StandardCharsets.UTF_8);
        assertTrue(commands > 5, "walked " + commands + " commands");
        assertEquals("", warnings, "picocli could not format some help text");
        assertEquals("", raw.toString(), "help shows an unformatted %n in these commands");
    }
}
