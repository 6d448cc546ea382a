package io.infergate.host.plugins;

import io.infergate.host.inference.ServiceExecutor;
import io.infergate.host.models.ModelSession;
import io.infergate.plugin.api.AiService;
import io.infergate.plugin.api.ModelInfo;
import io.infergate.plugin.api.ServiceDescriptor;
import java.util.List;
import java.util.Map;

/**
 * A service that is loaded and open: where it came from, its models and its executor.
 *
 * @param pluginId the PF4J plugin id
 * @param pluginContentId the content ID of the plugin zip: its CID, or {@code sha256:<hex>} for a local zip
 * @param descriptor the service's descriptor
 * @param models the host-owned sessions, by the descriptor's model names
 * @param executor the service's worker pool
 * @param service the plugin's extension instance (only the host's plugin code touches it)
 */
public record LoadedService(String pluginId, String pluginContentId, ServiceDescriptor descriptor,
    Map<String, ModelSession> models, ServiceExecutor executor, AiService service) {

  public String name() {
    return descriptor.name();
  }

  public List<ModelInfo> modelInfos() {
    return models.values().stream().map(ModelSession::info).toList();
  }
}
