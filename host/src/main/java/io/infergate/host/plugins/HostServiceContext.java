package io.infergate.host.plugins;

import io.infergate.host.models.ModelSession;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.PluginApi;
import io.infergate.plugin.api.ServiceContext;
import java.util.Map;

/** What a service sees when it is opened. */
record HostServiceContext(String service, Map<String, ModelSession> models, Map<String, String> settings)
    implements ServiceContext {

  @Override
  public ModelInfo model(String name) {
    ModelSession s = models.get(name);
    if (s == null) {
      throw new IllegalArgumentException("service '" + service + "' did not declare a model named '" + name
          + "'; declared: " + models.keySet());
    }
    return s.info();
  }

  @Override
  public String apiVersion() {
    return PluginApi.version();
  }
}
