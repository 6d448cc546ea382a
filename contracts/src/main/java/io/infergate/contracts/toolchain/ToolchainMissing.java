package io.infergate.contracts.toolchain;

/** A tool of the pinned npm toolchain is not installed; the message says how to install it. */
public final class ToolchainMissing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToolchainMissing(String message) {
        super(message, null, false, false);
    }
}
