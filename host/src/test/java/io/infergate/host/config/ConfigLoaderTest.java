package io.infergate.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsAreDocumentedValues() {
    HostConfig c = HostConfig.defaults();
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(8080, c.http().port());
    assertEquals(ExecutionProvider.CPU, c.runtime().executionProvider());
    assertEquals(Duration.ofSeconds(30), c.inference().timeout());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.inference().workers());
  }

  @Test
  void fileThenEnvironmentThenOverridesWin() throws Exception {
    Path file = Files.writeString(dir.resolve("node.json"), """
        {"http": {"port": 9000, "host": "0.0.0.0"}, "models": {"dirs": ["a", "b"]},
         "inference": {"timeout-ms": 1000}, "services": {"text-embedding": {"settings": {"max-tokens": "128"}}}}
        """);
    HostConfig c = ConfigLoader.builder().file(file)
        .environment(Map.of("INFERGATE_HTTP_PORT", "9001", "INFERGATE_INFERENCE_TIMEOUT_MS", "2000"))
        .override("inference.timeout-ms", "3000").load();
    assertEquals("0.0.0.0", c.http().host());
    assertEquals(9001, c.http().port());
    assertEquals(Duration.ofSeconds(3), c.inference().timeout());
    assertEquals(2, c.models().dirs().size());
    assertEquals(Map.of("max-tokens", "128"), c.serviceSettings().get("text-embedding"));
  }

  @Test
  void badValuesNameTheKey() {
    assertMessage(Map.of("http.port", "eighty"), "http.port must be a whole number");
    assertMessage(Map.of("http.port", "70000"), "http.port must be between 0 and 65535");
    assertMessage(Map.of("runtime.execution-provider", "tpu"), "runtime.execution-provider: 'tpu' is not an execution provider");
    assertMessage(Map.of("runtime.strict-device", "yes"), "runtime.strict-device must be true or false");
    assertMessage(Map.of("runtime.optimization-level", "max"), "runtime.optimization-level must be one of");
    assertMessage(Map.of("http.prot", "1"), "unknown configuration key 'http.prot'");
  }

  @Test
  void unknownKeysInTheFileAreNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("node.json"), "{\"inference\": {\"timeout\": 5}}");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.builder().file(file).environment(Map.of()).load());
    assertTrue(e.getMessage().contains("unknown configuration key 'inference.timeout' in " + file), e.getMessage());
  }

  @Test
  void claimReplacementWaitIsReadAndBounded() {
    io.infergate.x402.crypto.PrivateKey facilitator = io.infergate.x402.crypto.PrivateKey.random();
    io.infergate.x402.crypto.PrivateKey authorizer = io.infergate.x402.crypto.PrivateKey.random();
    Map<String, String> env = Map.of("INFERGATE_FACILITATOR_KEY", facilitator.exportSecretHex(),
        "INFERGATE_RECEIVER_AUTHORIZER_KEY", authorizer.exportSecretHex());
    Map<String, String> paying = Map.of("payments.enabled", "true", "payments.rpc-url", "http://127.0.0.1:8545",
        "payments.asset", facilitator.address().toString(), "payments.asset-name", "DevUSD",
        "payments.pay-to", facilitator.address().toString(),
        "payments.receiver-authorizer", authorizer.address().toString(), "receipts.enabled", "false");
    HostConfig.Chain byDefault = ConfigLoader.builder().environment(env).overrides(paying).load()
        .payments().orElseThrow().chain().orElseThrow();
    assertEquals(Duration.ofMinutes(3), byDefault.claimReplaceAfter());
    HostConfig.Chain set = ConfigLoader.builder().environment(env).overrides(paying)
        .override("payments.claims.replace-after-ms", "45000").load().payments().orElseThrow().chain().orElseThrow();
    assertEquals(Duration.ofSeconds(45), set.claimReplaceAfter());
    ConfigException tooShort = assertThrows(ConfigException.class, () -> ConfigLoader.builder().environment(env)
        .overrides(paying).override("payments.claims.replace-after-ms", "10").load());
    assertTrue(tooShort.getMessage().contains("payments.claims.replace-after-ms"), tooShort.getMessage());
  }

  @Test
  void cudaDeviceIsParsed() {
    assertEquals(new ExecutionProvider(ExecutionProvider.Kind.CUDA, 0), ExecutionProvider.parse("cuda"));
    assertEquals(new ExecutionProvider(ExecutionProvider.Kind.CUDA, 3), ExecutionProvider.parse("cuda:3"));
    assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.parse("cpu:1"));
  }

  @Test
  void receiptsNeedTheirKeyAndAnchorAndSayHowToTurnThemOff() {
    io.infergate.x402.crypto.PrivateKey key = io.infergate.x402.crypto.PrivateKey.random();
    Map<String, String> payments = new java.util.HashMap<>(Map.of("payments.enabled", "true",
        "payments.asset", "0x00000000000000000000000000000000000000aa", "payments.asset-name", "DevUSD",
        "payments.pay-to", "0x00000000000000000000000000000000000000bb",
        "payments.receiver-authorizer", "0x00000000000000000000000000000000000000cc"));
    assertMessage(payments, "receipts.anchor is empty");
    assertMessage(payments, "receipts.enabled=false");
    payments.put("receipts.anchor", "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    assertMessage(payments, "$INFERGATE_RECEIPT_SIGNER_KEY (receipts.signer-key-env) is empty");
    ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.builder()
        .environment(Map.of("INFERGATE_RECEIPT_SIGNER_KEY", "0x12")).overrides(payments).load());
    assertTrue(bad.getMessage().contains("is not a hex private key"), bad.getMessage());
    HostConfig on = ConfigLoader.builder().environment(Map.of("INFERGATE_RECEIPT_SIGNER_KEY", key.exportSecretHex()))
        .overrides(payments).load();
    HostConfig.Receipts r = on.payments().orElseThrow().receipts().orElseThrow();
    assertEquals(key.address(), r.signerKey().address());
    assertEquals(io.infergate.x402.crypto.Address.parse("0x00000000000000000000000000000000000000bb"), r.provider(),
        "the provider defaults to payments.pay-to");
    assertTrue(r.registry().isEmpty());
    assertTrue(!r.toString().contains(key.exportSecretHex().substring(2)), "the key never shows in toString");
    payments.put("receipts.enabled", "false");
    payments.remove("receipts.anchor");
    assertTrue(ConfigLoader.builder().environment(Map.of()).overrides(payments).load().payments().orElseThrow()
        .receipts().isEmpty());
  }

  private static void assertMessage(Map<String, String> overrides, String fragment) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.builder().environment(Map.of()).overrides(overrides).load());
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
  }
}
