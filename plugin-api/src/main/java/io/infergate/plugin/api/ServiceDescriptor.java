package io.infergate.plugin.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a service is: its name (the model name in OIP routes), version, the tensors it takes and returns,
 * the models it needs, and its price. The descriptor is code inside the plugin zip, so the plugin's content
 * ID pins all of it.
 *
 * <pre>{@code
 * ServiceDescriptor.builder("text-embedding", "1.0.0")
 *     .description("Sentence embeddings, all-MiniLM-L6-v2 int8")
 *     .input(TensorSpec.of("text", DataType.BYTES, -1))
 *     .output(TensorSpec.of("embedding", DataType.FP32, -1, 384))
 *     .model(ModelRef.of("encoder", "sha256:afdb6f1a..."))
 *     .price(Price.perCall(1000))
 *     .build();
 * }</pre>
 */
public final class ServiceDescriptor {
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private final String name;
  private final String version;
  private final String description;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final List<ModelRef> models;
  private final Price price;
  private final String payTo;
  private final int maxBatchSize;

  private ServiceDescriptor(Builder b) {
    this.name = Names.requireServiceName(b.name);
    if (b.version == null || !VERSION.matcher(b.version).matches()) {
      throw new IllegalArgumentException("service '" + name + "': version '" + b.version + "' is not semantic (e.g. 1.0.0)");
    }
    this.version = b.version;
    this.description = b.description == null ? "" : b.description;
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    this.models = List.copyOf(b.models);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("service '" + name + "' must declare at least one input and one output tensor");
    }
    requireUnique("input tensor", inputs.stream().map(TensorSpec::name).toList());
    requireUnique("output tensor", outputs.stream().map(TensorSpec::name).toList());
    requireUnique("model", models.stream().map(ModelRef::name).toList());
    this.price = Objects.requireNonNull(b.price, "service '" + name + "' must declare a price (Price.free() for none)");
    if (b.payTo != null && !ADDRESS.matcher(b.payTo).matches()) {
      throw new IllegalArgumentException("service '" + name + "': payTo '" + b.payTo + "' is not a 0x-prefixed 20-byte address");
    }
    this.payTo = b.payTo;
    if (b.maxBatchSize < 1) {
      throw new IllegalArgumentException("service '" + name + "': maxBatchSize must be at least 1, got " + b.maxBatchSize);
    }
    this.maxBatchSize = b.maxBatchSize;
  }

  private void requireUnique(String what, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException("service '" + name + "' declares " + what + " '" + n + "' twice");
      }
    }
  }

  public static Builder builder(String name, String version) {
    return new Builder(name, version);
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String description() {
    return description;
  }

  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  public List<ModelRef> models() {
    return models;
  }

  public Price price() {
    return price;
  }

  /** The address paid for this service; empty means the node's provider address. */
  public Optional<String> payTo() {
    return Optional.ofNullable(payTo);
  }

  /** The largest first dimension the service accepts in one call. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  public Optional<TensorSpec> input(String tensorName) {
    return inputs.stream().filter(t -> t.name().equals(tensorName)).findFirst();
  }

  public Optional<TensorSpec> output(String tensorName) {
    return outputs.stream().filter(t -> t.name().equals(tensorName)).findFirst();
  }

  /** Builds a {@link ServiceDescriptor}; {@link #build()} checks every field and names what is wrong. */
  public static final class Builder {
    private final String name;
    private final String version;
    private String description;
    private final List<TensorSpec> inputs = new ArrayList<>();
    private final List<TensorSpec> outputs = new ArrayList<>();
    private final List<ModelRef> models = new ArrayList<>();
    private Price price;
    private String payTo;
    private int maxBatchSize = 64;

    private Builder(String name, String version) {
      this.name = name;
      this.version = version;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder input(TensorSpec spec) {
      inputs.add(Objects.requireNonNull(spec));
      return this;
    }

    public Builder output(TensorSpec spec) {
      outputs.add(Objects.requireNonNull(spec));
      return this;
    }

    public Builder model(ModelRef model) {
      models.add(Objects.requireNonNull(model));
      return this;
    }

    public Builder price(Price price) {
      this.price = price;
      return this;
    }

    public Builder payTo(String address) {
      this.payTo = address;
      return this;
    }

    /** Default 64. */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    public ServiceDescriptor build() {
      return new ServiceDescriptor(this);
    }
  }
}
