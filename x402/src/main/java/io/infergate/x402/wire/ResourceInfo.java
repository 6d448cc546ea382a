package io.infergate.x402.wire;

import java.util.Objects;

/**
 * The resource a payment is for.
 *
 * @param url the resource's URL (required)
 * @param description what the caller gets; null when absent
 * @param mimeType the response type; null when absent
 */
public record ResourceInfo(String url, String description, String mimeType) {
  public ResourceInfo {
    Objects.requireNonNull(url, "url");
  }
}
