package io.infergate.host.plugins;

/** A plugin cannot be loaded; the message says which plugin, why, and what its author or operator must do. */
public final class PluginRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PluginRejectedException(String message) {
    super(message, null, false, false);
  }

  public PluginRejectedException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
