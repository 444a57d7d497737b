package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFailedWriteLeavesThePreviousFileWholeAndNoTemporaryBehind() throws IOException {
        Path target = tmp.resolve("metrics.csv");
        AtomicFiles.writeString(target, "step,loss\n0,1\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, t -> {
            Files.writeString(t, "step,lo");
            throw new java.nio.file.FileSystemException(t.toString(), null, "No space left on device");
        }));
        assertEquals("cannot write " + target + ": No space left on device", e.getMessage(),
                "the user's file, not the temporary one");
        assertEquals("step,loss\n0,1\n", Files.readString(target));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "only the target remains");
        }
    }

    /** A file system error without a reason (the temporary file vanished) names the user's file, not the temporary. */
    @Test
    void anErrorWithoutAReasonNeverNamesTheTemporaryFile() {
        Path target = tmp.resolve("checkpoint.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, Files::delete));
        assertEquals("cannot write " + target + ": NoSuchFileException", e.getMessage());
    }
}
