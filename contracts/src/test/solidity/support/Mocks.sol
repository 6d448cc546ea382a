// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BatchSettlement} from "../../../main/solidity/BatchSettlement.sol";
import {DevUsd} from "../../../main/solidity/DevUsd.sol";
import {IDepositCollector} from "../../../main/solidity/interfaces/IDepositCollector.sol";

/// @notice A contract wallet whose owner's ECDSA signature is its ERC-1271 signature.
contract Erc1271Wallet {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return 0xffffffff;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}

/// @notice Pays deposits from its own pocket: one unit short unless `exact` is set.
contract ShortCollector is IDepositCollector {
    DevUsd internal immutable token;
    bool internal exact;

    constructor(DevUsd token_) {
        token = token_;
    }

    function setExact(bool value) external {
        exact = value;
    }

    function collect(address, address, uint256 amount, bytes32, bytes calldata) external {
        token.transfer(msg.sender, exact ? amount : amount - 1);
    }
}

/// @notice Tries to re-enter the settlement contract from inside `collect`.
contract ReentrantCollector is IDepositCollector {
    BatchSettlement internal immutable settlement;

    constructor(BatchSettlement settlement_) {
        settlement = settlement_;
    }

    function collect(address, address, uint256, bytes32, bytes calldata) external {
        settlement.settle(address(this), address(this));
    }
}
