package io.sipflow.testkit.example;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/testing.md shows the example property exactly as the suite runs it. */
class TestingDocTest {
    @Test
    void theDocumentedExampleIsTheTestedFile() throws IOException {
        Path moduleRoot = Path.of("").toAbsolutePath();
        String doc = Files.readString(moduleRoot.resolve("../../docs/testing.md").normalize(), StandardCharsets.UTF_8);
        String example = Files.readString(
                moduleRoot.resolve("src/test/java/io/sipflow/testkit/example/SoftplusProperties.java"),
                StandardCharsets.UTF_8);
        assertTrue(doc.contains("```java\n" + example + "```"),
                "docs/testing.md must quote SoftplusProperties.java verbatim in a ```java block");
    }
}
