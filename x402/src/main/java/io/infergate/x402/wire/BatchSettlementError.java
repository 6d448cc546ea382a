package io.infergate.x402.wire;

import java.util.Locale;
import java.util.Optional;

/**
 * The error codes of the EVM {@code batch-settlement} scheme, as the spec
 * ({@code specs/schemes/batch-settlement/scheme_batch_settlement_evm.md}, "Error Codes") and {@code @x402/evm}
 * 2.27.0 spell them: {@code invalid_batch_settlement_evm_} followed by the constant's name in lower case. Clients
 * branch on these strings (the reference client resyncs on {@link #CUMULATIVE_AMOUNT_MISMATCH}), so they must be
 * exact.
 */
public enum BatchSettlementError {
  AUTHORIZER_ADDRESS_MISMATCH,
  AUTHORIZER_NOT_CONFIGURED,
  CHANNEL_BUSY,
  CHANNEL_ID_INVALID,
  CHANNEL_ID_MISMATCH,
  CHANNEL_NOT_FOUND,
  CHANNEL_STATE_READ_FAILED,
  CHARGE_EXCEEDS_SIGNED_CUMULATIVE,
  CLAIM_PAYLOAD,
  CLAIM_SIMULATION_FAILED,
  CLAIM_TRANSACTION_FAILED,
  CUMULATIVE_AMOUNT_MISMATCH,
  CUMULATIVE_BELOW_CLAIMED,
  CUMULATIVE_EXCEEDS_BALANCE,
  DEPOSIT_BELOW_MIN_DEPOSIT,
  DEPOSIT_PAYLOAD,
  DEPOSIT_SIMULATION_FAILED,
  DEPOSIT_TRANSACTION_FAILED,
  EIP2612_AMOUNT_MISMATCH,
  EIP2612_ASSET_MISMATCH,
  EIP2612_DEADLINE_EXPIRED,
  EIP2612_INVALID_FORMAT,
  EIP2612_INVALID_SIGNATURE,
  EIP2612_OWNER_MISMATCH,
  EIP2612_SPENDER_MISMATCH,
  EIP6492_FACTORY_NOT_ALLOWED,
  ERC20_APPROVAL_ASSET_MISMATCH,
  ERC20_APPROVAL_BROADCAST_FAILED,
  ERC20_APPROVAL_FROM_MISMATCH,
  ERC20_APPROVAL_INVALID_FORMAT,
  ERC20_APPROVAL_UNAVAILABLE,
  ERC20_APPROVAL_WRONG_SPENDER,
  ERC3009_AUTHORIZATION_REQUIRED,
  INSUFFICIENT_BALANCE,
  MISSING_CHANNEL,
  MISSING_EIP712_DOMAIN,
  NETWORK_MISMATCH,
  NOTHING_TO_SETTLE,
  PAYLOAD_AUTHORIZATION_VALID_AFTER,
  PAYLOAD_AUTHORIZATION_VALID_BEFORE,
  PAYLOAD_TYPE,
  PERMIT2_ALLOWANCE_REQUIRED,
  PERMIT2_AMOUNT_MISMATCH,
  PERMIT2_AUTHORIZATION_REQUIRED,
  PERMIT2_DEADLINE_EXPIRED,
  PERMIT2_INVALID_SIGNATURE,
  PERMIT2_INVALID_SPENDER,
  RECEIVE_AUTHORIZATION_SIGNATURE,
  RECEIVER_AUTHORIZER_MISMATCH,
  RECEIVER_MISMATCH,
  REFUND_AMOUNT_INVALID,
  REFUND_NO_BALANCE,
  REFUND_PAYLOAD,
  REFUND_SIMULATION_FAILED,
  REFUND_TRANSACTION_FAILED,
  RPC_READ_FAILED,
  SCHEME,
  SETTLE_PAYLOAD,
  SETTLE_SIMULATION_FAILED,
  SETTLE_TRANSACTION_FAILED,
  SMART_WALLET_DEPLOYMENT_FAILED,
  TOKEN_MISMATCH,
  TRANSACTION_REVERTED,
  UNKNOWN_SETTLE_ACTION,
  VERIFICATION_STATE_UNAVAILABLE,
  VOUCHER_PAYLOAD,
  VOUCHER_SIGNATURE,
  WAIT_FOR_RECEIPT_FAILED,
  WITHDRAW_DELAY_MISMATCH,
  WITHDRAW_DELAY_OUT_OF_RANGE;

  private static final String PREFIX = "invalid_batch_settlement_evm_";
  private final String code = PREFIX + name().toLowerCase(Locale.ROOT);

  /** The wire string, e.g. {@code invalid_batch_settlement_evm_channel_busy}. */
  public String code() {
    return code;
  }

  /** The constant for a wire string, if it is one of this scheme's codes. */
  public static Optional<BatchSettlementError> fromCode(String code) {
    if (code == null || !code.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(code.substring(PREFIX.length()).toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return code;
  }
}
