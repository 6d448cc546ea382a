package io.infergate.contracts.devchain;

/** The dev chain could not start or refused an RPC call; the message names the cause and the log file. */
public final class DevChainFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DevChainFailure(String message) {
        super(message);
    }

    public DevChainFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
