// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice The forge cheatcodes these tests use (forge-std is not fetchable here; the cheatcode address and
///         signatures are forge's public interface).
interface Vm {
    function warp(uint256 timestamp) external;
    function chainId(uint256 newChainId) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function etch(address target, bytes calldata code) external;
    function expectRevert(bytes4 selector) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert() external;
    function assume(bool condition) external pure;
    function label(address account, string calldata newLabel) external;
    function assertEq(uint256 a, uint256 b, string calldata err) external pure;
    function assertEq(bytes32 a, bytes32 b, string calldata err) external pure;
    function assertEq(address a, address b, string calldata err) external pure;
    function assertEq(bool a, bool b, string calldata err) external pure;
    function assertLe(uint256 a, uint256 b, string calldata err) external pure;
    function assertTrue(bool condition, string calldata err) external pure;
    function assertFalse(bool condition, string calldata err) external pure;
}
