package io.infergate.host.oip;

import static io.infergate.host.oip.OipFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.plugin.api.DataType;
import io.infergate.plugin.api.Price;
import io.infergate.plugin.api.ServiceDescriptor;
import io.infergate.plugin.api.TensorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetadataEncoderTest {
  private static final ServiceDescriptor S = ServiceDescriptor.builder("text-embedding", "1.0.0").price(Price.free())
      .input(TensorSpec.of("text", DataType.BYTES, -1))
      .output(TensorSpec.of("embedding", DataType.FP32, -1, 384))
      .build();

  @Test
  void writesTheOipMetadataFields() {
    assertEquals("{\"name\":\"text-embedding\",\"versions\":[\"1.0.0\"],\"platform\":\"infergate\","
            + "\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[-1]}],"
            + "\"outputs\":[{\"name\":\"embedding\",\"datatype\":\"FP32\",\"shape\":[-1,384]}]}",
        ModelMetadataEncoder.encode(S).toString());
  }

  @Test
  void appendsExtraFieldsAsPlainJson() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("price", Map.of("maxPerCall", "1000"));
    extra.put("models", List.of(Map.of("name", "encoder", "cid", "bafy...")));
    extra.put("executionProvider", "cpu");
    extra.put("ready", true);
    var json = tree(ModelMetadataEncoder.encode(S, extra));
    assertEquals("1000", json.get("price").get("maxPerCall").asText());
    assertEquals("bafy...", json.get("models").get(0).get("cid").asText());
    assertEquals("cpu", json.get("executionProvider").asText());
    assertTrue(json.get("ready").asBoolean());
    assertEquals("infergate", json.get("platform").asText());
  }

  @Test
  void extraFieldsCannotReplaceStandardOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelMetadataEncoder.encode(S, Map.of("platform", "x")));
    assertTrue(e.getMessage().contains("'platform' would replace a standard OIP field"), e.getMessage());
  }
}
