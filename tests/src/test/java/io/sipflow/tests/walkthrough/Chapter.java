package io.sipflow.tests.walkthrough;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One walkthrough page, read as a reader meets it: its ```java blocks (pasted into jshell in order), its
 * ```java test blocks (whole test files, compiled and run), and the pictures it shows.
 */
record Chapter(Path file, List<Block> jshellBlocks, List<Block> testFiles, List<String> pictures) {
    /** A fenced block and the line of the page where its code starts. */
    record Block(int line, String code) {
    }

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)(?:[ \\t]+(\\S+))?[ \\t]*$");
    private static final Pattern PICTURE = Pattern.compile("!\\[[^]]*]\\((pictures/[^)\\s]+\\.png)\\)");

    static Chapter read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> jshell = new ArrayList<>();
        List<Block> tests = new ArrayList<>();
        List<String> pictures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches() || fence.group(1).isEmpty()) {
                Matcher pic = PICTURE.matcher(lines.get(i));
                while (pic.find()) {
                    pictures.add(pic.group(1));
                }
                continue;
            }
            int start = i + 1;
            StringBuilder code = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            if (i == lines.size()) {
                throw new IllegalStateException(file + ":" + start + ": a code block is never closed");
            }
            if (fence.group(1).equals("java")) {
                Block block = new Block(start + 1, code.toString());
                if ("test".equals(fence.group(2))) {
                    tests.add(block);
                } else if (fence.group(2) == null) {
                    jshell.add(block);
                } else {
                    throw new IllegalStateException(file + ":" + start + ": unknown block kind `java "
                            + fence.group(2) + "` (use ```java or ```java test)");
                }
            }
        }
        return new Chapter(file, List.copyOf(jshell), List.copyOf(tests), List.copyOf(pictures));
    }

    String name() {
        return file.getFileName().toString();
    }
}
