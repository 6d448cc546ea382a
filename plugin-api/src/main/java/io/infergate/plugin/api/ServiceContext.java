package io.infergate.plugin.api;

import java.util.Map;

/** What the host gives a service when it opens it. */
public interface ServiceContext {

  /** Metadata of a model the descriptor declared; throws if the name is not declared. */
  ModelInfo model(String name);

  /** Operator settings for this service ({@code services.<name>.settings.*} in the node config); may be empty. */
  Map<String, String> settings();

  /** The plugin-api version the host implements. */
  String apiVersion();
}
