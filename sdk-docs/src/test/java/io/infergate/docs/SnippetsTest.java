package io.infergate.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every code block in the guides that is preceded by {@code <!-- snippet: path -->} must be taken from that
 * file (relative to the repository root): its lines, trimmed, appear in the file in the same order, with
 * {@code // ...} lines marking elisions. The files are compiled and tested sources, so the guides cannot
 * show code that no longer compiles or exists.
 */
class SnippetsTest {
  private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+) -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);

  @Test
  void snippetsAreTakenFromCompiledSources() {
    int checked = 0;
    List<String> problems = new ArrayList<>();
    for (Path guide : DocsCheck.guides()) {
      Matcher m = SNIPPET.matcher(DocsCheck.read(guide));
      while (m.find()) {
        checked++;
        Path source = DocsCheck.REPO.resolve(m.group(1));
        if (!Files.isRegularFile(source)) {
          problems.add(guide.getFileName() + ": snippet source " + m.group(1) + " does not exist");
          continue;
        }
        String missing = firstMissingLine(m.group(2), DocsCheck.read(source));
        if (missing != null) {
          problems.add(guide.getFileName() + ": snippet from " + m.group(1) + " has a line not in the source (in order): " + missing);
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
    assertTrue(checked >= 5, "the guides should carry checked snippets, found " + checked);
  }

  /** The first snippet line that does not occur, in order, in the source; null if all do. */
  static String firstMissingLine(String snippet, String source) {
    List<String> lines = source.lines().map(String::trim).toList();
    int at = 0;
    for (String raw : snippet.lines().toList()) {
      String line = raw.trim();
      if (line.isEmpty() || line.equals("// ...") || line.equals("<!-- ... -->")) {
        continue;
      }
      int found = -1;
      for (int i = at; i < lines.size(); i++) {
        if (lines.get(i).equals(line)) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        return line;
      }
      at = found + 1;
    }
    return null;
  }
}
