// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IERC20Minimal
/// @notice The ERC-20 calls the settlement contracts make.
interface IERC20Minimal {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
}
