// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IDepositCollector
/// @notice A pluggable way to pull a deposit from a payer into the BatchSettlement contract.
/// @dev Same interface as the x402 reference collectors. A collector must move exactly `amount` of `token`
///      to its caller (the BatchSettlement contract), which checks its own balance before and after.
interface IDepositCollector {
    /// @param payer the token owner the deposit is taken from
    /// @param token the ERC-20 token
    /// @param amount the exact amount to move to the caller
    /// @param channelId the channel being funded; collectors bind their authorization nonces to it
    /// @param collectorData collector-specific encoding (signatures, validity window, salt)
    function collect(address payer, address token, uint256 amount, bytes32 channelId, bytes calldata collectorData)
        external;
}
