package io.infergate.host.oip;

import java.util.Objects;

/**
 * An output the caller asked for by name.
 *
 * @param name an output of the service (checked at decoding)
 * @param binary whether it goes back through the binary tensor extension: the output's own
 *     {@code parameters.binary_data}, else the request's {@code parameters.binary_data_output}, else false
 */
public record RequestedOutput(String name, boolean binary) {
  public RequestedOutput {
    Objects.requireNonNull(name, "name");
  }
}
