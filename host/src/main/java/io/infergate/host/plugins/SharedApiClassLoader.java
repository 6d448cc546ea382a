package io.infergate.host.plugins;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A PF4J plugin classloader (plugin classes first) that always takes the packages shared with the host from
 * the host: the plugin API, ONNX Runtime (its JNI library can bind to one classloader only), slf4j (one
 * binding) and Vert.x. A plugin that bundles its own copy of these gets the host's anyway, so its types
 * stay assignable to the host's.
 */
final class SharedApiClassLoader extends PluginClassLoader {
  static final List<String> SHARED_PACKAGES =
      List.of("io.infergate.plugin.api.", "ai.onnxruntime.", "org.slf4j.", "io.vertx.", "io.netty.");

  static {
    ClassLoader.registerAsParallelCapable();
  }

  SharedApiClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
    super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
  }

  @Override
  protected boolean shouldDelegateToParent(String className) {
    for (String prefix : SHARED_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return super.shouldDelegateToParent(className);
  }
}
