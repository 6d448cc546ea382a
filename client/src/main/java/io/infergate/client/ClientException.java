package io.infergate.client;

/**
 * The client's one error type: unchecked, without a stack trace for expected failures, and with a message that
 * says what was wrong and what to do. Subtypes tell the cases apart.
 *
 * <pre>{@code
 * try {
 *   client.call(url, body, Map.of());
 * } catch (NodeMisbehavedException e) {
 *   log.warn("channel {} quarantined: {}", e.channelId(), e.getMessage());
 * } catch (ClientException e) {
 *   System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class ClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClientException(String message) {
    super(message, null, false, false);
  }

  public ClientException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
