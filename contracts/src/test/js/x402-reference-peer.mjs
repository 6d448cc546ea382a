// The x402 reference implementation (@x402/evm 2.27.0, pinned in tools/) acting against Infergate's contracts:
//   1. the reference CLIENT computes the channel id and signs an ERC-3009 deposit + voucher (payload type "deposit");
//   2. the reference FACILITATOR verifies that payload against the chain and settles it (submits `deposit`);
//   3. the client signs a follow-up cumulative voucher, which the facilitator verifies (payload type "voucher");
//   4. the facilitator, holding the receiver-authorizer key, claims it with `claimWithSignature` (its own EIP-712
//      ClaimBatch signature), sweeps it with `settle`, and refunds part of the escrow with `refundWithSignature`
//      (its own EIP-712 Refund signature);
//   5. the client signs a third voucher that the Java side claims directly.
// Prints one JSON object for the Java test (X402InteropTest), which checks the same ids, digests and
// signatures against the contract and claims with the client's voucher.
// Usage: node x402-reference-peer.mjs <input.json>   (tools dir from INFERGATE_TOOLS_DIR)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const toolsDir = process.env.INFERGATE_TOOLS_DIR;
if (!toolsDir) throw new Error('INFERGATE_TOOLS_DIR is not set');
const require = createRequire(path.join(toolsDir, 'package.json'));
const viem = require('viem');
const { privateKeyToAccount } = require('viem/accounts');
const { toFacilitatorEvmSigner } = require('@x402/evm');
const client = require('@x402/evm/batch-settlement/client');
const { BatchSettlementEvmScheme: Facilitator } = require('@x402/evm/batch-settlement/facilitator');

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const network = `eip155:${input.chainId}`;
const chain = viem.defineChain({
  id: input.chainId, name: 'infergate-dev', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [input.rpcUrl] } },
});

const payer = privateKeyToAccount(input.payerKey);
const session = privateKeyToAccount(input.sessionKey);
const facilitatorAccount = privateKeyToAccount(input.facilitatorKey);
const wallet = viem.createWalletClient({ account: facilitatorAccount, chain, transport: viem.http(input.rpcUrl) })
  .extend(viem.publicActions);
const receiverAuthorizer = privateKeyToAccount(input.receiverAuthorizerKey);
const facilitator = new Facilitator(
  toFacilitatorEvmSigner({ ...wallet, address: facilitatorAccount.address }), receiverAuthorizer);

const requirements = {
  scheme: 'batch-settlement', network, amount: input.price, asset: input.token, payTo: input.receiver,
  maxTimeoutSeconds: 3600,
  extra: { receiverAuthorizer: input.receiverAuthorizer, withdrawDelay: 900, name: input.tokenName, version: input.tokenVersion },
};
const channelConfig = {
  payer: payer.address, payerAuthorizer: session.address, receiver: input.receiver,
  receiverAuthorizer: input.receiverAuthorizer, token: input.token, withdrawDelay: 900, salt: input.salt,
};

const channelId = client.computeChannelId(channelConfig, network);
const deposit = await client.createBatchSettlementEIP3009DepositPayload(
  payer, 2, requirements, channelConfig, input.depositAmount, input.price, session);
const depositPayment = { x402Version: 2, accepted: requirements, payload: deposit.payload };
const depositVerified = await facilitator.verify(depositPayment, requirements);
const depositSettled = depositVerified.isValid ? await facilitator.settle(depositPayment, requirements) : null;

const second = await client.signVoucher(session, channelId, input.secondCumulative, network);
const voucherPayment = { x402Version: 2, accepted: requirements,
  payload: { type: 'voucher', channelConfig, voucher: second } };
const voucherVerified = await facilitator.verify(voucherPayment, requirements);

const settleAs = (payload) => facilitator.settle({ x402Version: 2, accepted: requirements, payload }, requirements);
const claimed = await settleAs({ type: 'claim', claims: [{
  voucher: { channel: channelConfig, maxClaimableAmount: input.secondCumulative },
  signature: second.signature, totalClaimed: input.secondCumulative }] });
const settled = await settleAs({ type: 'settle', receiver: input.receiver, token: input.token });
const zeroCharge = await client.signVoucher(session, channelId, input.secondCumulative, network);
const refunded = await settleAs({ type: 'refund', channelConfig, voucher: zeroCharge, amount: input.refundAmount,
  refundNonce: '0', claims: [] });

const third = await client.signVoucher(session, channelId, input.thirdCumulative, network);

const json = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x));
console.log(json({
  channelId,
  depositPayload: deposit.payload,
  depositVerified,
  depositSettled,
  secondVoucher: second,
  voucherVerified,
  claimed,
  settled,
  refunded,
  thirdVoucher: third,
}));
