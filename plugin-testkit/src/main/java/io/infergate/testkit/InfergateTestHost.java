package io.infergate.testkit;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real Infergate host with the plugin under test, on a free loopback port. Close it after the test. */
public final class InfergateTestHost implements AutoCloseable {

  private InfergateTestHost() {}

  public static Builder builder() {
    return new Builder();
  }

  /** The host's base URI, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** POSTs a JSON body to a path of the host. */
  public HttpResponse<String> postJson(String path, String json) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** GETs a path of the host. */
  public HttpResponse<String> get(String path) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void close() {}

  /** Configures an {@link InfergateTestHost}. */
  public static final class Builder {
    private final Map<String, String> config = new LinkedHashMap<>();

    private Builder() {}

    /** A plugin zip (or an unpacked plugin directory) to load. */
    public Builder plugin(Path pluginZipOrDirectory) {
      return this;
    }

    /** A directory of model files, resolved by content ID. */
    public Builder modelDirectory(Path directory) {
      return this;
    }

    /** Any host configuration key, as in the node's config file (e.g. {@code inference.timeout-ms}). */
    public Builder config(String key, String value) {
      config.put(key, value);
      return this;
    }

    public InfergateTestHost start() {
      throw new UnsupportedOperationException("not yet implemented");
    }
  }
}
