package io.infergate.host.plugins;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the services a node serves. Request handlers read the current snapshot without
 * locks; load and unload publish a new one.
 */
public final class ServiceCatalog {
  private static final ServiceCatalog EMPTY = new ServiceCatalog(Map.of());
  private final Map<String, LoadedService> services;

  private ServiceCatalog(Map<String, LoadedService> services) {
    this.services = services;
  }

  static ServiceCatalog empty() {
    return EMPTY;
  }

  public Optional<LoadedService> find(String name) {
    return Optional.ofNullable(services.get(name));
  }

  public Collection<LoadedService> all() {
    return services.values();
  }

  ServiceCatalog with(LoadedService s) {
    Map<String, LoadedService> m = new LinkedHashMap<>(services);
    m.put(s.name(), s);
    return new ServiceCatalog(java.util.Collections.unmodifiableMap(m));
  }

  ServiceCatalog without(String name) {
    Map<String, LoadedService> m = new LinkedHashMap<>(services);
    m.remove(name);
    return new ServiceCatalog(java.util.Collections.unmodifiableMap(m));
  }
}
