// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TestBase} from "./support/TestBase.sol";
import {BatchSettlement} from "../../main/solidity/BatchSettlement.sol";
import {Erc3009DepositCollector} from "../../main/solidity/Erc3009DepositCollector.sol";
import {DevUsd} from "../../main/solidity/DevUsd.sol";

/// @notice Drives random sequences of every channel operation over a few channels and keeps ghost totals.
contract ChannelHandler is TestBase {
    uint256 internal constant CHANNELS = 3;

    BatchSettlement.ChannelConfig[CHANNELS] internal configs;
    bytes32[CHANNELS] public ids;
    uint256 internal nextSalt = 1;

    // ghosts
    mapping(bytes32 => uint256) public deposited;
    mapping(bytes32 => uint256) public returnedToPayer;
    mapping(bytes32 => uint256) public refundsExecuted;
    mapping(bytes32 => uint256) public highestSignedClaim;
    uint256 public settledToReceiver;

    /// @dev Deploys its own token so that it is the minter (deposits mint to the payer first).
    constructor(BatchSettlement settlement_, Erc3009DepositCollector collector_) {
        payer = vm.addr(payerKey);
        session = vm.addr(sessionKey);
        receiverAuthorizer = vm.addr(receiverAuthKey);
        token = new DevUsd(address(this));
        settlement = settlement_;
        collector = collector_;
        for (uint256 i = 0; i < CHANNELS; ++i) {
            configs[i] = config(bytes32(i + 1));
            ids[i] = settlement.getChannelId(configs[i]);
        }
    }

    function tokenAddress() external view returns (DevUsd) {
        return token;
    }

    function channelCount() external pure returns (uint256) {
        return CHANNELS;
    }

    function deposit(uint256 which, uint128 amount) external {
        uint256 i = which % CHANNELS;
        amount = uint128(bound(amount, 1, 1e12));
        depositFor(configs[i], amount, nextSalt++);
        deposited[ids[i]] += amount;
    }

    function claim(uint256 which, uint128 ceiling, uint128 target, bool signed) external {
        uint256 i = which % CHANNELS;
        (uint128 balance, uint128 claimed) = settlement.channels(ids[i]);
        ceiling = uint128(bound(ceiling, claimed, uint256(balance) + 10));
        target = uint128(bound(target, 0, ceiling));
        if (target > balance) return; // would revert; covered by unit tests
        BatchSettlement.VoucherClaim[] memory rows = one(voucherClaim(configs[i], ceiling, target, sessionKey));
        if (signed) {
            bytes memory auth = sig(receiverAuthKey, settlement.getClaimBatchDigest(rows));
            settlement.claimWithSignature(rows, auth);
        } else {
            vm.prank(receiver);
            settlement.claim(rows);
        }
        if (target > highestSignedClaim[ids[i]]) highestSignedClaim[ids[i]] = target;
    }

    function replayClaim(uint256 which) external {
        uint256 i = which % CHANNELS;
        (, uint128 claimed) = settlement.channels(ids[i]);
        if (claimed == 0) return;
        BatchSettlement.VoucherClaim[] memory rows = one(voucherClaim(configs[i], claimed, claimed, sessionKey));
        vm.prank(receiver);
        settlement.claim(rows);
    }

    function settle() external {
        uint256 before = token.balanceOf(receiver);
        settlement.settle(receiver, address(token));
        settledToReceiver += token.balanceOf(receiver) - before;
    }

    function refund(uint256 which, uint128 amount, bool signed) external {
        uint256 i = which % CHANNELS;
        amount = uint128(bound(amount, 1, 1e12));
        uint256 before = token.balanceOf(payer);
        if (signed) {
            uint256 nonce = settlement.refundNonce(ids[i]);
            bytes memory auth = sig(receiverAuthKey, settlement.getRefundDigest(ids[i], nonce, amount));
            settlement.refundWithSignature(configs[i], amount, nonce, auth);
        } else {
            vm.prank(receiverAuthorizer);
            settlement.refund(configs[i], amount);
        }
        refundsExecuted[ids[i]] += 1;
        returnedToPayer[ids[i]] += token.balanceOf(payer) - before;
    }

    function initiateWithdraw(uint256 which, uint128 amount) external {
        uint256 i = which % CHANNELS;
        (uint128 balance, uint128 claimed) = settlement.channels(ids[i]);
        (, uint40 pendingSince) = settlement.pendingWithdrawals(ids[i]);
        if (balance == claimed || pendingSince != 0) return;
        amount = uint128(bound(amount, 1, balance - claimed));
        vm.prank(payer);
        settlement.initiateWithdraw(configs[i], amount);
    }

    function finalizeWithdraw(uint256 which, uint256 wait) external {
        uint256 i = which % CHANNELS;
        (, uint40 pendingSince) = settlement.pendingWithdrawals(ids[i]);
        if (pendingSince == 0) return;
        vm.warp(block.timestamp + bound(wait, 0, 2000));
        if (block.timestamp < uint256(pendingSince) + 900) return;
        uint256 before = token.balanceOf(payer);
        vm.prank(payer);
        settlement.finalizeWithdraw(configs[i]);
        returnedToPayer[ids[i]] += token.balanceOf(payer) - before;
    }
}

/// @notice Invariants over random operation sequences (forge invariant testing).
contract BatchSettlementInvariants is TestBase {
    ChannelHandler internal handler;

    function setUp() public {
        deployFixture();
        handler = new ChannelHandler(settlement, collector);
        token = handler.tokenAddress();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// Total claimed never exceeds what the channel holds, nor what was ever deposited into it.
    function invariant_claimedWithinBalanceWithinDeposits() public view {
        for (uint256 i = 0; i < handler.channelCount(); ++i) {
            bytes32 id = handler.ids(i);
            (uint128 balance, uint128 claimed) = settlement.channels(id);
            vm.assertLe(claimed, balance, "totalClaimed <= balance");
            vm.assertEq(
                balance, handler.deposited(id) - handler.returnedToPayer(id), "balance == deposited - returned"
            );
            vm.assertLe(claimed, handler.highestSignedClaim(id), "never more than the payer signed");
        }
    }

    /// The contract holds exactly the unsettled money; settle moved exactly claimed minus settled.
    function invariant_escrowAccountsForEveryToken() public view {
        uint256 balances;
        uint256 claimedSum;
        for (uint256 i = 0; i < handler.channelCount(); ++i) {
            (uint128 balance, uint128 claimed) = settlement.channels(handler.ids(i));
            balances += balance;
            claimedSum += claimed;
        }
        (uint128 receiverClaimed, uint128 receiverSettled) = settlement.receivers(receiver, address(token));
        vm.assertEq(receiverClaimed, claimedSum, "receiver credited with every claim, once");
        vm.assertEq(receiverSettled, handler.settledToReceiver(), "settled == paid out");
        vm.assertEq(token.balanceOf(receiver), receiverSettled, "receiver got exactly the settled amount");
        vm.assertEq(token.balanceOf(address(settlement)), balances - receiverSettled, "escrow == balances - settled");
    }

    /// Every executed refund, direct or signed, advanced the nonce by one.
    function invariant_refundsAdvanceNonce() public view {
        for (uint256 i = 0; i < handler.channelCount(); ++i) {
            bytes32 id = handler.ids(i);
            vm.assertEq(settlement.refundNonce(id), handler.refundsExecuted(id), "nonce == refunds");
        }
    }
}
