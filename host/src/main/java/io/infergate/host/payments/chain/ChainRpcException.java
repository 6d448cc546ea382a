package io.infergate.host.payments.chain;

/**
 * The chain RPC could not answer (down, timing out, or refusing the call). Callers on the background paths
 * retry on their next tick; the node keeps serving known channels from the mirror meanwhile.
 */
public class ChainRpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ChainRpcException(String message) {
    super(message);
  }

  public ChainRpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
