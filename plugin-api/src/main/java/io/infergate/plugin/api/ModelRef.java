package io.infergate.plugin.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model a service needs, named locally and identified by the content ID of its ONNX file.
 *
 * <p>The content ID is either an IPFS CID (CIDv1 base32, e.g. {@code bafy...}, or CIDv0 {@code Qm...}) or,
 * for content not yet published, {@code sha256:<64 hex digits>}. The host fetches and verifies the bytes
 * before ONNX Runtime sees them, so the weights cannot change without changing the ID, and therefore the
 * plugin's own content ID.
 *
 * <pre>{@code ModelRef.of("encoder", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")}</pre>
 */
public record ModelRef(String name, String contentId) {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern CID = Pattern.compile("(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{20,})");

  public ModelRef {
    Names.requireTensorName(name);
    Objects.requireNonNull(contentId, "contentId");
    if (!SHA256.matcher(contentId).matches() && !CID.matcher(contentId).matches()) {
      throw new IllegalArgumentException("model '" + name + "': content ID '" + contentId
          + "' is neither a CID (bafy..., Qm...) nor sha256:<64 lower-case hex digits>");
    }
  }

  public static ModelRef of(String name, String contentId) {
    return new ModelRef(name, contentId);
  }
}
