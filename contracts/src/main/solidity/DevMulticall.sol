// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title DevMulticall
/// @notice The part of Multicall3 that x402 facilitators (`tryAggregate`) and viem (`aggregate3`) call, for dev
///         chains that lack the real Multicall3. The deployer places it at Multicall3's canonical address
///         (0xcA11bde05977b3631167028862bE2a173976CA11) on anvil; real chains already have Multicall3 there.
/// @dev Stateless, so a copy made with `anvil_setCode` works as is. Calls are plain `call`s from this contract.
contract DevMulticall {
    struct Call {
        address target;
        bytes callData;
    }

    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice A call in the batch failed and the batch did not allow it.
    error CallFailed(uint256 index);

    function tryAggregate(bool requireSuccess, Call[] calldata calls) external returns (Result[] memory results) {
        results = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (requireSuccess && !ok) revert CallFailed(i);
            results[i] = Result(ok, ret);
        }
    }

    function aggregate3(Call3[] calldata calls) external returns (Result[] memory results) {
        results = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (!calls[i].allowFailure && !ok) revert CallFailed(i);
            results[i] = Result(ok, ret);
        }
    }
}
