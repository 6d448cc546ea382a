// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDepositCollector} from "./interfaces/IDepositCollector.sol";
import {IERC20Minimal} from "./interfaces/IERC20Minimal.sol";
import {IERC3009} from "./interfaces/IERC3009.sol";

/// @title Erc3009DepositCollector
/// @notice Gasless channel deposits: pulls the payer's tokens with an ERC-3009 `receiveWithAuthorization` signed
///         to this collector, then forwards them to the BatchSettlement contract.
/// @dev `collectorData = abi.encode(uint256 validAfter, uint256 validBefore, uint256 salt, bytes signature)` and the
///      authorization nonce is `keccak256(abi.encode(channelId, salt))`, exactly as the x402 reference client builds
///      them. Binding the nonce to the channel id means an authorization can fund only the channel it was signed
///      for, and only once (the token burns the nonce). Only the BatchSettlement contract may call `collect`, so
///      nobody can front-run a leaked authorization into a different channel.
///      The BatchSettlement address is immutable (code, not storage), so on a dev chain the collector is deployed
///      pointing at the canonical BatchSettlement address before its code is copied to its own canonical address.
contract Erc3009DepositCollector is IDepositCollector {
    address public immutable batchSettlement;

    error ZeroBatchSettlementAddress();
    /// @notice `collect` was called by someone other than the BatchSettlement contract.
    error OnlyBatchSettlement();
    error TokenTransferFailed();

    constructor(address batchSettlement_) {
        if (batchSettlement_ == address(0)) revert ZeroBatchSettlementAddress();
        batchSettlement = batchSettlement_;
    }

    /// @inheritdoc IDepositCollector
    function collect(address payer, address token, uint256 amount, bytes32 channelId, bytes calldata collectorData)
        external
    {
        if (msg.sender != batchSettlement) revert OnlyBatchSettlement();
        (uint256 validAfter, uint256 validBefore, uint256 salt, bytes memory signature) =
            abi.decode(collectorData, (uint256, uint256, uint256, bytes));
        bytes32 nonce = depositNonce(channelId, salt);
        IERC3009(token).receiveWithAuthorization(payer, address(this), amount, validAfter, validBefore, nonce, signature);
        (bool ok, bytes memory ret) = token.call(abi.encodeCall(IERC20Minimal.transfer, (msg.sender, amount)));
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool)))) revert TokenTransferFailed();
    }

    /// @notice The ERC-3009 nonce a payer signs to fund `channelId` with this `salt`.
    function depositNonce(bytes32 channelId, uint256 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(channelId, salt));
    }
}
