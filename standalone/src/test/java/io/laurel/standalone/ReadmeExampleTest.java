package io.laurel.standalone;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Java client example is the code the integration tests run: {@link ReadmeExample}, line for line. */
class ReadmeExampleTest {

    @Test
    void theReadmeShowsTheExampleTheTestsRun() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int section = readme.indexOf("## A Java client");
        assertThat(section).as("README has a section 'A Java client'").isNotNegative();
        int open = indexFrom(readme, "```java", section);
        int close = indexFrom(readme, "```", open + 1);
        List<String> shown = readme.subList(open + 1, close).stream().map(String::strip).toList();

        List<String> source = Files.readAllLines(Path.of("src/test/java/io/laurel/standalone/ReadmeExample.java"));
        int from = indexOfContaining(source, "---- README, \"A Java client\" ----");
        int to = indexOfContaining(source, "---- end of the README example ----");
        List<String> run = source.subList(from + 1, to).stream().map(String::strip).toList();

        assertThat(shown).hasSizeGreaterThan(5);
        assertThat(shown).as("README example vs ReadmeExample.run").containsExactlyElementsOf(run);
    }

    private static int indexFrom(List<String> lines, String exact, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(exact)) {
                return i;
            }
        }
        throw new AssertionError("no line '" + exact + "' after line " + from);
    }

    private static int indexOfContaining(List<String> lines, String part) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                found.add(i);
            }
        }
        assertThat(found).as("one line with '%s'", part).hasSize(1);
        return found.get(0);
    }
}
