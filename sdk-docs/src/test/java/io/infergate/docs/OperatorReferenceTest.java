package io.infergate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.host.config.ConfigKey;
import io.infergate.host.config.ConfigKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration reference in operator.md lists exactly the host's options, with their defaults. */
class OperatorReferenceTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([^`]*)` \\| `([A-Z0-9_]+)` \\|", Pattern.MULTILINE);

  @Test
  void configurationReferenceMatchesConfigKeys() {
    Map<String, String> documented = new LinkedHashMap<>();
    List<String> env = new ArrayList<>();
    Matcher m = ROW.matcher(DocsCheck.read(DocsCheck.DOCS.resolve("operator.md")));
    while (m.find()) {
      documented.put(m.group(1), m.group(2));
      env.add(m.group(3));
    }
    Map<String, String> actual = new LinkedHashMap<>();
    List<String> actualEnv = new ArrayList<>();
    for (ConfigKey k : ConfigKeys.all()) {
      actual.put(k.name(), k.defaultValue());
      actualEnv.add(k.environmentVariable());
    }
    assertEquals(actual, documented, "sdk-docs/operator.md configuration table vs ConfigKeys");
    assertEquals(actualEnv, env, "environment variable names");
  }
}
