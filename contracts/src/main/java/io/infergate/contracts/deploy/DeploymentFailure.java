package io.infergate.contracts.deploy;

/** A deployment step failed; the message names the step and what the node answered. */
public final class DeploymentFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeploymentFailure(String message) {
        super(message);
    }

    public DeploymentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
