package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sipflow --version} prints the version of the poms, which the build hands to this test separately. */
class VersionTest {
    @Test
    void versionOptionPrintsThePomVersion() {
        String pomVersion = System.getProperty("sipflow.pomVersion");
        assertNotNull(pomVersion, "surefire sets sipflow.pomVersion from ${project.version} (physics/app/pom.xml)");
        assertTrue(pomVersion.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), pomVersion);
        StringWriter out = new StringWriter();
        CommandLine cl = SipflowCli.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        assertEquals("sipflow " + pomVersion, out.toString().strip());
        assertEquals(pomVersion, BuildVersion.version());
    }
}
