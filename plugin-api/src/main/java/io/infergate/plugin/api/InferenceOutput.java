package io.infergate.plugin.api;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one call: output tensors by name (in the descriptor's order), response parameters the
 * caller should see (for example which inputs were truncated), and optionally the amount to charge when it
 * is less than the service's maximum price.
 */
public final class InferenceOutput {
  private final Map<String, Tensor> tensors;
  private final Map<String, Object> parameters;
  private final BigInteger charge;

  private InferenceOutput(Builder b) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(b.tensors));
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
    this.charge = b.charge;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, Tensor> tensors() {
    return tensors;
  }

  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalStateException("output tensor '" + name + "' was not produced");
    }
    return t;
  }

  public Map<String, Object> parameters() {
    return parameters;
  }

  /** The amount to charge, if the service sets one below its maximum price. */
  public Optional<BigInteger> charge() {
    return Optional.ofNullable(charge);
  }

  /** Builds an {@link InferenceOutput}. */
  public static final class Builder {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private BigInteger charge;

    private Builder() {}

    public Builder tensor(String name, Tensor tensor) {
      tensors.put(Objects.requireNonNull(name), Objects.requireNonNull(tensor));
      return this;
    }

    /** A response parameter: a String, Number, Boolean or a List of those. */
    public Builder parameter(String name, Object value) {
      parameters.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    /** Charge this much for the call; the host caps it at the descriptor's price. */
    public Builder charge(BigInteger amount) {
      if (amount.signum() < 0) {
        throw new IllegalArgumentException("charge must not be negative, got " + amount);
      }
      this.charge = amount;
      return this;
    }

    public InferenceOutput build() {
      return new InferenceOutput(this);
    }
  }
}
