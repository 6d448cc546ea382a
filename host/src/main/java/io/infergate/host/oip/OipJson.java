package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson configuration of the OIP codec. Thread-safe; parsers and generators are cheap to create.
 *
 * <p>Duplicate keys are rejected: a request with two {@code "shape"} fields is ambiguous, and a lenient
 * parser would silently take the last one. Nesting is capped well above any real tensor rank, so a body of
 * a million {@code [} cannot make the parser recurse deeply.
 */
final class OipJson {
  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  /** For the few small, non-hot values written as plain Java objects (metadata extras). */
  static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private OipJson() {}

  /** What kind of JSON value a token starts, for messages ("got a string"). */
  static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.name();
    };
  }
}
