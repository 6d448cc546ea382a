// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IERC3009
/// @notice The part of ERC-3009 (transfer with authorization) the deposit collector uses, in the
///         `bytes signature` form that USDC v2.2 and the dev token accept.
interface IERC3009 {
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);
}
