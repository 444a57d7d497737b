package io.sipflow.physics.cli;

import io.sipflow.physics.train.Setting;
import io.sipflow.physics.train.Settings;
import io.sipflow.physics.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A setting is declared once ({@link Settings}) and everything else follows from the declaration list: the
 * options of train, compare and sweep, run.json's keys, reading them back, and the resume refusal. Nothing here
 * names a setting, so a new declaration is covered without touching this test.
 */
class SettingsDeclaredOnceTest {
    @TempDir
    Path tmp;

    @Test
    void everyDeclaredSettingIsAnOptionWithItsHelp() {
        CommandLine cl = SipflowCli.commandLine();
        for (String command : List.of("train", "compare", "sweep")) {
            var spec = cl.getSubcommands().get(command).getCommandSpec();
            for (Setting<?> s : Settings.all()) {
                OptionSpec o = spec.findOption(s.flag());
                if (s.chosenByCommand()) {
                    continue; // train --method, compare/sweep --methods: checked below
                }
                assertNotNull(o, command + " has no " + s.flag());
                assertEquals(s.type() == Boolean.class ? 0 : 1, o.arity().max(), s.flag());
                if (!(command.equals("sweep") && s == Settings.PROBLEM)) {
                    assertEquals(List.of(s.help()), List.of(o.description()), command + " " + s.flag());
                }
            }
        }
        assertNotNull(cl.getSubcommands().get("train").getCommandSpec().findOption(Settings.METHOD.flag()));
    }

    /** The command line that sets every declared setting to its example value. */
    private static List<String> everySettingAtItsExample() {
        List<String> args = new ArrayList<>();
        for (Setting<?> s : Settings.all()) {
            args.add(s.flag());
            if (s.type() != Boolean.class) {
                args.add(s.example());
            }
        }
        return args;
    }

    @Test
    void everySettingReachesRunJsonAndBackAndAResumeRefusesEveryFixedOne() throws IOException {
        Path dir = tmp.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--threads", "1", "--out", dir.toString()));
        args.addAll(everySettingAtItsExample());
        CliErrorPathTest.Run r = CliErrorPathTest.run(args.toArray(new String[0]));
        assertTrue(r.code() == 0 || r.code() == TrainingRun.DIVERGED, r.err());
        for (String file : List.of("run.json", TrainOptions.CHECKPOINT_JSON)) {
            Map<String, Object> json = Json.read(Files.readString(dir.resolve(file)));
            TrainConfig back = TrainConfig.fromSettings(json);
            for (Setting<?> s : Settings.all()) {
                assertTrue(json.containsKey(s.key()), file + " records " + s.key() + ": " + json);
                assertEquals(s.parse(s.example()), back.get(s), file + ": " + s.key() + " read back");
            }
        }
        for (Setting<?> s : Settings.all()) {
            List<String> resume = new ArrayList<>(List.of("train", "--threads", "1", "--resume", dir.toString(),
                    s.flag()));
            if (s.type() != Boolean.class) {
                resume.add(s.example());
            }
            CliErrorPathTest.Run again = CliErrorPathTest.run(resume.toArray(new String[0]));
            if (s.resumable()) {
                assertTrue(again.code() == 0 || again.code() == TrainingRun.DIVERGED, s.flag() + ": " + again.err());
            } else if (s.chosenByCommand()) {
                assertTrue(again.code() == 0 || again.code() == TrainingRun.DIVERGED,
                        s.flag() + " at the recorded value is the same run: " + again.err());
            } else {
                assertEquals(2, again.code(), s.flag() + " on --resume: " + again.err());
                assertTrue(again.err().contains(s.flag() + ": --resume continues with the settings recorded in"),
                        again.err());
            }
        }
    }
}
