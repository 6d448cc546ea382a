// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TestBase} from "./support/TestBase.sol";
import {BatchSettlement} from "../../main/solidity/BatchSettlement.sol";
import {Erc3009DepositCollector} from "../../main/solidity/Erc3009DepositCollector.sol";
import {DevUsd} from "../../main/solidity/DevUsd.sol";
import {Erc1271Wallet, ReentrantCollector, ShortCollector} from "./support/Mocks.sol";

contract BatchSettlementTest is TestBase {
    BatchSettlement.ChannelConfig internal c;
    bytes32 internal id;

    function setUp() public {
        deployFixture();
        c = config(bytes32(uint256(1)));
        id = channelId(c);
    }

    // ------------------------------------------------------------ identity and digests

    function test_channelIdIsEip712HashOfConfigUnderX402Domain() public view {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("x402 Batch Settlement"),
                keccak256("1"),
                block.chainid,
                address(settlement)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,address token,uint40 withdrawDelay,bytes32 salt)"
                ),
                c.payer,
                c.payerAuthorizer,
                c.receiver,
                c.receiverAuthorizer,
                c.token,
                c.withdrawDelay,
                c.salt
            )
        );
        vm.assertEq(id, keccak256(abi.encodePacked(hex"1901", domain, structHash)), "channel id");
        bytes32 voucher = keccak256(
            abi.encode(keccak256("Voucher(bytes32 channelId,uint128 maxClaimableAmount)"), id, uint128(77))
        );
        vm.assertEq(
            settlement.getVoucherDigest(id, 77), keccak256(abi.encodePacked(hex"1901", domain, voucher)), "voucher"
        );
    }

    function test_eip5267DomainNamesX402BatchSettlement() public view {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = settlement.eip712Domain();
        vm.assertEq(keccak256(bytes(name)), keccak256("x402 Batch Settlement"), "name");
        vm.assertEq(keccak256(bytes(version)), keccak256("1"), "version");
        vm.assertEq(chainId, block.chainid, "chain");
        vm.assertEq(verifying, address(settlement), "contract");
    }

    /// Regression for dev chains: code copied to the canonical x402 address must sign under that address.
    function test_codeCopiedToCanonicalAddressUsesThatAddressInItsDomain() public {
        address canonical = 0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003;
        vm.etch(canonical, address(settlement).code);
        BatchSettlement copy = BatchSettlement(canonical);
        (,,,, address verifying,,) = copy.eip712Domain();
        vm.assertEq(verifying, canonical, "verifyingContract");
        vm.assertTrue(copy.getChannelId(c) != id, "ids differ per contract address");
    }

    function test_channelIdDependsOnChain() public {
        vm.chainId(8453);
        vm.assertTrue(settlement.getChannelId(c) != id, "chain-bound id");
    }

    // ------------------------------------------------------------ deposits

    function test_depositThroughErc3009CollectorOpensChannel() public {
        depositFor(c, 1_000_000, 7);
        (uint128 balance, uint128 claimed) = settlement.channels(id);
        vm.assertEq(balance, 1_000_000, "balance");
        vm.assertEq(claimed, 0, "claimed");
        vm.assertEq(token.balanceOf(address(settlement)), 1_000_000, "escrow holds tokens");
        vm.assertEq(token.balanceOf(payer), 0, "payer paid");
        vm.assertTrue(token.authorizationState(payer, collector.depositNonce(id, 7)), "nonce burnt");
    }

    function test_topUpAddsToBalance() public {
        depositFor(c, 500, 1);
        depositFor(c, 700, 2);
        (uint128 balance,) = settlement.channels(id);
        vm.assertEq(balance, 1200, "balance");
    }

    function test_depositAuthorizationCannotBeReplayed() public {
        token.mint(payer, 2000);
        bytes memory data = erc3009CollectorData(payerKey, id, 1000, 9, address(collector));
        settlement.deposit(c, 1000, address(collector), data);
        vm.expectRevert(abi.encodeWithSelector(DevUsd.AuthorizationAlreadyUsed.selector, payer, collector.depositNonce(id, 9)));
        settlement.deposit(c, 1000, address(collector), data);
    }

    function test_depositAuthorizationIsBoundToItsChannel() public {
        token.mint(payer, 1000);
        bytes memory data = erc3009CollectorData(payerKey, id, 1000, 9, address(collector));
        BatchSettlement.ChannelConfig memory other = config(bytes32(uint256(2)));
        vm.expectRevert(DevUsd.InvalidSignature.selector);
        settlement.deposit(other, 1000, address(collector), data);
    }

    function test_collectorOnlyServesSettlement() public {
        vm.expectRevert(Erc3009DepositCollector.OnlyBatchSettlement.selector);
        collector.collect(payer, address(token), 1, id, "");
    }

    function test_depositRejectsBadConfigs() public {
        BatchSettlement.ChannelConfig memory bad = config(0);
        bad.withdrawDelay = 899;
        vm.expectRevert(BatchSettlement.WithdrawDelayOutOfRange.selector);
        settlement.deposit(bad, 1, address(collector), "");
        bad.withdrawDelay = 30 days + 1;
        vm.expectRevert(BatchSettlement.WithdrawDelayOutOfRange.selector);
        settlement.deposit(bad, 1, address(collector), "");
        bad = config(0);
        bad.receiverAuthorizer = address(0);
        vm.expectRevert(BatchSettlement.InvalidChannel.selector);
        settlement.deposit(bad, 1, address(collector), "");
        vm.expectRevert(BatchSettlement.ZeroDeposit.selector);
        settlement.deposit(c, 0, address(collector), "");
        vm.expectRevert(BatchSettlement.InvalidCollector.selector);
        settlement.deposit(c, 1, address(0xdead), "");
    }

    function test_collectorThatUnderDeliversIsRejected() public {
        ShortCollector short = new ShortCollector(token);
        token.mint(address(short), 10);
        vm.expectRevert(BatchSettlement.DepositCollectionFailed.selector);
        settlement.deposit(c, 10, address(short), "");
    }

    function test_reentrantCollectorIsStopped() public {
        ReentrantCollector evil = new ReentrantCollector(settlement);
        vm.expectRevert(BatchSettlement.ReentrantCall.selector);
        settlement.deposit(c, 10, address(evil), "");
    }

    // ------------------------------------------------------------ claims

    function test_claimThenSettlePaysReceiverExactly() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim[] memory rows_ = one(voucherClaim(c, 300, 250, sessionKey));
        vm.prank(receiverAuthorizer);
        settlement.claim(rows_);
        (uint128 balance, uint128 claimed) = settlement.channels(id);
        vm.assertEq(balance, 1000, "claims do not lower balance");
        vm.assertEq(claimed, 250, "claimed");
        settlement.settle(receiver, address(token));
        vm.assertEq(token.balanceOf(receiver), 250, "receiver paid");
        (uint128 rc, uint128 rs) = settlement.receivers(receiver, address(token));
        vm.assertEq(rc, rs, "settled == claimed");
        settlement.settle(receiver, address(token));
        vm.assertEq(token.balanceOf(receiver), 250, "second settle moves nothing");
    }

    function test_voucherNeverPaysTwice() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim memory row = voucherClaim(c, 400, 400, sessionKey);
        vm.startPrank(receiver);
        settlement.claim(one(row));
        settlement.claim(one(row));
        row.totalClaimed = 100;
        settlement.claim(one(row));
        vm.stopPrank();
        (, uint128 claimed) = settlement.channels(id);
        vm.assertEq(claimed, 400, "cumulative, no double pay");
        (uint128 receiverClaimed,) = settlement.receivers(receiver, address(token));
        vm.assertEq(receiverClaimed, 400, "receiver credited once");
    }

    function test_claimAboveVoucherReverts() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim[] memory rows_ = one(voucherClaim(c, 300, 301, sessionKey));
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.ClaimExceedsCeiling.selector);
        settlement.claim(rows_);
    }

    function test_claimAboveBalanceReverts() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim[] memory rows_ = one(voucherClaim(c, 2000, 1001, sessionKey));
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.ClaimExceedsBalance.selector);
        settlement.claim(rows_);
    }

    function test_claimSignedByWrongKeyReverts() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim[] memory rows_ = one(voucherClaim(c, 300, 300, payerKey));
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.InvalidSignature.selector);
        settlement.claim(rows_);
    }

    function test_highSVoucherIsRejected() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim memory row = voucherClaim(c, 300, 300, sessionKey);
        row.signature = highS(row.signature);
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.MalleableSignature.selector);
        settlement.claim(one(row));
    }

    function test_vOutside27Or28IsRejected() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim memory row = voucherClaim(c, 300, 300, sessionKey);
        row.signature[64] = bytes1(uint8(row.signature[64]) - 27);
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.InvalidSignatureV.selector);
        settlement.claim(one(row));
    }

    function test_voucherSignedForAnotherChainIsRejected() public {
        depositFor(c, 1000, 1);
        vm.chainId(8453);
        bytes32 foreignDigest = settlement.getVoucherDigest(id, 300);
        vm.chainId(31337);
        BatchSettlement.VoucherClaim memory row = voucherClaim(c, 300, 300, sessionKey);
        row.signature = sig(sessionKey, foreignDigest);
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.InvalidSignature.selector);
        settlement.claim(one(row));
    }

    function test_onlyReceiverSideMayClaim() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim[] memory rows_ = one(voucherClaim(c, 300, 300, sessionKey));
        vm.prank(payer);
        vm.expectRevert(BatchSettlement.NotAuthorizedToClaim.selector);
        settlement.claim(rows_);
        vm.expectRevert(BatchSettlement.EmptyBatch.selector);
        settlement.claim(new BatchSettlement.VoucherClaim[](0));
    }

    function test_erc1271PayerWithoutSessionKey() public {
        Erc1271Wallet wallet = new Erc1271Wallet(vm.addr(payerKey));
        BatchSettlement.ChannelConfig memory wc = config(bytes32(uint256(5)));
        wc.payer = address(wallet);
        wc.payerAuthorizer = address(0);
        // fund through a plain collector: the wallet's ERC-3009 path is the token's business, not the channel's
        ShortCollector exact = new ShortCollector(token);
        exact.setExact(true);
        token.mint(address(exact), 1000);
        settlement.deposit(wc, 1000, address(exact), "");
        bytes32 wid = settlement.getChannelId(wc);
        BatchSettlement.VoucherClaim memory row = BatchSettlement.VoucherClaim({
            voucher: BatchSettlement.Voucher({channel: wc, maxClaimableAmount: 500}),
            signature: sig(payerKey, settlement.getVoucherDigest(wid, 500)),
            totalClaimed: 500
        });
        vm.prank(receiver);
        settlement.claim(one(row));
        (, uint128 claimed) = settlement.channels(wid);
        vm.assertEq(claimed, 500, "wallet-signed voucher accepted");
    }

    function test_claimWithSignatureBatchesChannels() public {
        BatchSettlement.VoucherClaim[] memory rows = new BatchSettlement.VoucherClaim[](3);
        for (uint256 i = 0; i < 3; ++i) {
            BatchSettlement.ChannelConfig memory ci = config(bytes32(100 + i));
            depositFor(ci, 1000, i);
            rows[i] = voucherClaim(ci, uint128(100 * (i + 1)), uint128(100 * (i + 1)), sessionKey);
        }
        bytes memory auth = sig(receiverAuthKey, settlement.getClaimBatchDigest(rows));
        vm.prank(address(0x12E1A7)); // any relayer
        settlement.claimWithSignature(rows, auth);
        (uint128 total,) = settlement.receivers(receiver, address(token));
        vm.assertEq(total, 600, "all rows claimed");
    }

    function test_contractWalletAsReceiverAuthorizer() public {
        Erc1271Wallet authWallet = new Erc1271Wallet(vm.addr(receiverAuthKey));
        BatchSettlement.ChannelConfig memory wc = config(bytes32(uint256(77)));
        wc.receiverAuthorizer = address(authWallet);
        depositFor(wc, 1000, 1);
        BatchSettlement.VoucherClaim[] memory rows = one(voucherClaim(wc, 300, 300, sessionKey));
        bytes memory auth = sig(receiverAuthKey, settlement.getClaimBatchDigest(rows));
        settlement.claimWithSignature(rows, auth);
        (, uint128 claimed) = settlement.channels(channelId(wc));
        vm.assertEq(claimed, 300, "ERC-1271 authorizer accepted");
        bytes memory refundAuth = sig(receiverAuthKey, settlement.getRefundDigest(channelId(wc), 0, 100));
        settlement.refundWithSignature(wc, 100, 0, refundAuth);
        vm.assertEq(settlement.refundNonce(channelId(wc)), 1, "ERC-1271 refund accepted");
    }

    function test_claimBatchDigestMatchesEip712ArrayEncoding() public view {
        BatchSettlement.VoucherClaim[] memory rows = new BatchSettlement.VoucherClaim[](2);
        rows[0] = voucherClaim(config(bytes32(uint256(1))), 10, 5, sessionKey);
        rows[1] = voucherClaim(config(bytes32(uint256(2))), 20, 15, sessionKey);
        bytes32 entryType = keccak256("ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)");
        bytes32 e0 = keccak256(abi.encode(entryType, channelId(rows[0].voucher.channel), uint128(10), uint128(5)));
        bytes32 e1 = keccak256(abi.encode(entryType, channelId(rows[1].voucher.channel), uint128(20), uint128(15)));
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
                ),
                keccak256(abi.encodePacked(e0, e1))
            )
        );
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("x402 Batch Settlement"),
                keccak256("1"),
                block.chainid,
                address(settlement)
            )
        );
        vm.assertEq(
            settlement.getClaimBatchDigest(rows), keccak256(abi.encodePacked(hex"1901", domain, structHash)), "digest"
        );
    }

    function test_claimWithSignatureRejectsForeignAuthorizerAndBadSignature() public {
        BatchSettlement.ChannelConfig memory a = config(bytes32(uint256(11)));
        BatchSettlement.ChannelConfig memory b = config(bytes32(uint256(12)));
        b.receiverAuthorizer = address(0xBAD);
        depositFor(a, 100, 1);
        depositFor(b, 100, 2);
        BatchSettlement.VoucherClaim[] memory rows = new BatchSettlement.VoucherClaim[](2);
        rows[0] = voucherClaim(a, 50, 50, sessionKey);
        rows[1] = voucherClaim(b, 50, 50, sessionKey);
        bytes memory auth = sig(receiverAuthKey, settlement.getClaimBatchDigest(rows));
        vm.expectRevert(BatchSettlement.NotReceiverAuthorizer.selector);
        settlement.claimWithSignature(rows, auth);
        bytes memory wrongSigner = sig(payerKey, settlement.getClaimBatchDigest(one(rows[0])));
        vm.expectRevert(BatchSettlement.InvalidSignature.selector);
        settlement.claimWithSignature(one(rows[0]), wrongSigner);
    }

    // ------------------------------------------------------------ refunds

    function test_refundReturnsUnclaimedAndAdvancesNonce() public {
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim[] memory rows_ = one(voucherClaim(c, 400, 400, sessionKey));
        vm.prank(receiver);
        settlement.claim(rows_);
        vm.prank(receiverAuthorizer);
        settlement.refund(c, 10_000);
        vm.assertEq(token.balanceOf(payer), 600, "unclaimed back, capped");
        vm.assertEq(settlement.refundNonce(id), 1, "nonce advanced");
        (uint128 balance, uint128 claimed) = settlement.channels(id);
        vm.assertEq(balance, claimed, "nothing unclaimed left");
    }

    function test_refundWithSignatureAndReplayedNonce() public {
        depositFor(c, 1000, 1);
        bytes memory auth = sig(receiverAuthKey, settlement.getRefundDigest(id, 0, 300));
        vm.prank(address(0x12E1A7));
        settlement.refundWithSignature(c, 300, 0, auth);
        vm.assertEq(token.balanceOf(payer), 300, "refunded");
        vm.expectRevert(BatchSettlement.InvalidRefundNonce.selector);
        settlement.refundWithSignature(c, 300, 0, auth);
        bytes memory wrongAmount = sig(receiverAuthKey, settlement.getRefundDigest(id, 1, 300));
        vm.expectRevert(BatchSettlement.InvalidSignature.selector);
        settlement.refundWithSignature(c, 301, 1, wrongAmount);
    }

    function test_refundRules() public {
        depositFor(c, 1000, 1);
        vm.expectRevert(BatchSettlement.NotAuthorizedToRefund.selector);
        settlement.refund(c, 1);
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.ZeroRefund.selector);
        settlement.refund(c, 0);
    }

    // ------------------------------------------------------------ withdrawals

    function test_withdrawAfterDelay() public {
        depositFor(c, 1000, 1);
        vm.prank(payer);
        settlement.initiateWithdraw(c, 1000);
        vm.prank(payer);
        vm.expectRevert(BatchSettlement.WithdrawalAlreadyPending.selector);
        settlement.initiateWithdraw(c, 1);
        vm.warp(block.timestamp + 899);
        vm.prank(payer);
        vm.expectRevert(BatchSettlement.WithdrawDelayNotElapsed.selector);
        settlement.finalizeWithdraw(c);
        vm.warp(block.timestamp + 1);
        vm.prank(session); // the payer authorizer may act for the payer; funds still go to the payer
        settlement.finalizeWithdraw(c);
        vm.assertEq(token.balanceOf(payer), 1000, "withdrawn");
        (uint128 balance,) = settlement.channels(id);
        vm.assertEq(balance, 0, "empty");
    }

    function test_withdrawalNeverTakesClaimedFunds() public {
        depositFor(c, 1000, 1);
        vm.prank(payer);
        settlement.initiateWithdraw(c, 1000);
        BatchSettlement.VoucherClaim[] memory rows_ = one(voucherClaim(c, 700, 700, sessionKey));
        vm.prank(receiver);
        settlement.claim(rows_);
        vm.warp(block.timestamp + 900);
        vm.prank(payer);
        settlement.finalizeWithdraw(c);
        vm.assertEq(token.balanceOf(payer), 300, "only unclaimed part");
        settlement.settle(receiver, address(token));
        vm.assertEq(token.balanceOf(receiver), 700, "receiver keeps claims");
    }

    function test_withdrawRules() public {
        depositFor(c, 1000, 1);
        vm.expectRevert(BatchSettlement.NotAuthorizedToWithdraw.selector);
        settlement.initiateWithdraw(c, 1);
        vm.startPrank(payer);
        vm.expectRevert(BatchSettlement.NothingToWithdraw.selector);
        settlement.initiateWithdraw(c, 0);
        vm.expectRevert(BatchSettlement.WithdrawAmountExceedsAvailable.selector);
        settlement.initiateWithdraw(c, 1001);
        vm.expectRevert(BatchSettlement.WithdrawalNotPending.selector);
        settlement.finalizeWithdraw(c);
        vm.stopPrank();
    }

    function test_refundShrinksPendingWithdrawal() public {
        depositFor(c, 1000, 1);
        vm.prank(payer);
        settlement.initiateWithdraw(c, 600);
        vm.prank(receiver);
        settlement.refund(c, 200);
        (uint128 pending,) = settlement.pendingWithdrawals(id);
        vm.assertEq(pending, 400, "refund counted against withdrawal");
        vm.prank(receiver);
        settlement.refund(c, 500);
        (, uint40 at) = settlement.pendingWithdrawals(id);
        vm.assertEq(at, 0, "withdrawal fully covered and cleared");
    }

    // ------------------------------------------------------------ multicall

    function test_multicallClaimAndSettleAtomically() public {
        depositFor(c, 1000, 1);
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(BatchSettlement.claim, (one(voucherClaim(c, 500, 500, sessionKey))));
        calls[1] = abi.encodeCall(BatchSettlement.settle, (receiver, address(token)));
        vm.prank(receiver);
        settlement.multicall(calls);
        vm.assertEq(token.balanceOf(receiver), 500, "claimed and settled");
        calls[0] = abi.encodeCall(BatchSettlement.claim, (one(voucherClaim(c, 600, 700, sessionKey))));
        vm.prank(receiver);
        vm.expectRevert(BatchSettlement.ClaimExceedsCeiling.selector);
        settlement.multicall(calls);
    }

    // ------------------------------------------------------------ fuzz

    function testFuzz_claimIsBoundedByVoucherAndBalance(uint128 deposited, uint128 ceiling, uint128 target) public {
        deposited = uint128(bound(deposited, 1, 1e15));
        depositFor(c, deposited, 1);
        BatchSettlement.VoucherClaim memory row = voucherClaim(c, ceiling, target, sessionKey);
        vm.prank(receiver);
        if (target == 0) {
            settlement.claim(one(row));
        } else if (target > ceiling) {
            vm.expectRevert(BatchSettlement.ClaimExceedsCeiling.selector);
            settlement.claim(one(row));
        } else if (target > deposited) {
            vm.expectRevert(BatchSettlement.ClaimExceedsBalance.selector);
            settlement.claim(one(row));
        } else {
            settlement.claim(one(row));
        }
        (uint128 balance, uint128 claimed) = settlement.channels(id);
        vm.assertLe(claimed, balance, "claimed <= balance");
        vm.assertLe(claimed, ceiling, "claimed <= voucher");
    }

    function testFuzz_anyTamperedSignatureIsRejected(uint8 position, uint8 flip) public {
        vm.assume(flip != 0);
        depositFor(c, 1000, 1);
        BatchSettlement.VoucherClaim memory row = voucherClaim(c, 500, 500, sessionKey);
        row.signature[position % 65] = bytes1(uint8(row.signature[position % 65]) ^ flip);
        vm.prank(receiver);
        vm.expectRevert();
        settlement.claim(one(row));
    }
}
