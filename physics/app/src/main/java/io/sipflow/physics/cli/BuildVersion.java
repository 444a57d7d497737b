package io.sipflow.physics.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code sipflow --version}: "sipflow" and the version the build wrote into {@value #RESOURCE} (Maven's resource
 * filtering of ${project.version}), so the number is the poms' and never a second, hand-edited copy.
 */
public final class BuildVersion implements CommandLine.IVersionProvider {
    static final String RESOURCE = "sipflow-version.properties";

    /** The version of this build, e.g. "0.2.0". */
    public static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + BuildVersion.class.getName()
                        + ": build sipflow with Maven (it writes the version there)");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isEmpty() || v.contains("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by the build: version=" + v);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"sipflow " + version()};
    }
}
