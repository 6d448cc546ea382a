// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IERC1271
/// @notice Signature validation for contract wallets.
interface IERC1271 {
    /// @return magicValue `0x1626ba7e` when `signature` is valid for `hash`
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue);
}
