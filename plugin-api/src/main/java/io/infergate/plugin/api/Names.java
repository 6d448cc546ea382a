package io.infergate.plugin.api;

import java.util.regex.Pattern;

/** The naming rules shared by services, models and tensors, so that every name is safe in a URL path. */
final class Names {
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern TENSOR = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:/-]{0,127}");

  private Names() {}

  static String requireServiceName(String name) {
    if (name == null || !SERVICE.matcher(name).matches()) {
      throw new IllegalArgumentException("service name '" + name
          + "' is invalid: use 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }

  static String requireTensorName(String name) {
    if (name == null || !TENSOR.matcher(name).matches()) {
      throw new IllegalArgumentException("tensor name '" + name
          + "' is invalid: use 1-128 characters of letters, digits, '_', '.', ':', '/' or '-', starting with a letter or '_'");
    }
    return name;
  }
}
