package io.sipflow.physics.cli;

import io.sipflow.physics.train.Setting;
import io.sipflow.physics.train.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds one command-line option per declared {@link Setting} (all but those each command chooses itself, such as
 * the method) to {@code train}, {@code compare} and {@code sweep}: flag, value label, type and help come from the
 * declaration. A value's range is checked when the run's settings are resolved ({@link TrainOptions}), where the
 * error names the flag.
 */
class SettingOptions implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (Setting<?> s : Settings.all()) {
            if (!s.chosenByCommand()) {
                spec.addOption(option(s, spec));
            }
        }
        return spec;
    }

    /** The help line of {@code s} on this command (sweep's problem is the sin problem). */
    String help(Setting<?> s, CommandSpec spec) {
        return s.help();
    }

    private OptionSpec option(Setting<?> s, CommandSpec spec) {
        boolean yesNo = s.type() == Boolean.class;
        OptionSpec.Builder b = OptionSpec.builder(s.flag()).type(s.type()).description(help(s, spec))
                .converters(text -> s.parse(text));
        if (yesNo) {
            b.arity("0");
        } else {
            b.paramLabel(s.label()).arity("1");
        }
        return b.build();
    }

    /** {@code sweep}: the same options; its problem defaults to sin. */
    static final class ForSweep extends SettingOptions {
        @Override
        String help(Setting<?> s, CommandSpec spec) {
            return s == Settings.PROBLEM ? "the inverse problem: sweep varies the option xi, which sin has (default sin)"
                    : s.help();
        }
    }
}
