// The npm x402 reference implementation (@x402/evm + @x402/core 2.27.0, viem) on the other side of the Java
// payments tests. Started once per test class as
//   node x402-reference.cjs          (INFERGATE_TOOLS=<repo>/tools in the environment)
// it reads one JSON request per line on stdin and answers one JSON line on stdout:
//   {"ok": true, "result": ...}  or  {"ok": false, "error": "<message>"}.
// Everything computed here comes from the reference packages themselves (computeChannelId, signVoucher,
// the batch-settlement client scheme, core's header codecs and zod schemas, viem's hashTypedData /
// recoverAddress); this file only wires them to stdin/stdout.
'use strict'
const path = require('node:path')
const readline = require('node:readline')
const { createRequire } = require('node:module')

const tools = process.env.INFERGATE_TOOLS
if (!tools) throw new Error('INFERGATE_TOOLS must point at the tools/ directory')
// The packages live in tools/node_modules, the script in the source tree: resolve from tools/.
const load = createRequire(path.join(tools, 'package.json'))
const viem = load('viem')
const { privateKeyToAccount } = load('viem/accounts')
const evmClient = load('@x402/evm/batch-settlement/client')
const { x402Client, x402HTTPClient } = load('@x402/core/client')
const coreHttp = load('@x402/core/http')
const schemas = load('@x402/core/schemas')

const BATCH_SETTLEMENT_ADDRESS = '0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003'
const types = {
  ChannelConfig: [
    { name: 'payer', type: 'address' }, { name: 'payerAuthorizer', type: 'address' },
    { name: 'receiver', type: 'address' }, { name: 'receiverAuthorizer', type: 'address' },
    { name: 'token', type: 'address' }, { name: 'withdrawDelay', type: 'uint40' }, { name: 'salt', type: 'bytes32' }
  ],
  Voucher: [{ name: 'channelId', type: 'bytes32' }, { name: 'maxClaimableAmount', type: 'uint128' }],
  Refund: [{ name: 'channelId', type: 'bytes32' }, { name: 'nonce', type: 'uint256' }, { name: 'amount', type: 'uint128' }],
  ClaimEntry: [
    { name: 'channelId', type: 'bytes32' }, { name: 'maxClaimableAmount', type: 'uint128' },
    { name: 'totalClaimed', type: 'uint128' }
  ],
  ReceiveWithAuthorization: [
    { name: 'from', type: 'address' }, { name: 'to', type: 'address' }, { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' }, { name: 'validBefore', type: 'uint256' }, { name: 'nonce', type: 'bytes32' }
  ]
}
const domainOf = (chainId, contract) => ({ name: 'x402 Batch Settlement', version: '1', chainId, verifyingContract: contract })
const json = (v) => JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x)))

function signerFor (privateKey) {
  const account = privateKeyToAccount(privateKey)
  return { address: account.address, signTypedData: (p) => account.signTypedData(p) }
}

// One reference client per session id, so a test can run a multi-request flow (deposit, then vouchers).
const sessions = new Map()

const commands = {
  // Digests of the batch-settlement types for Java-generated random inputs.
  hashes ({ chainId, contract, configs = [], vouchers = [], refunds = [], claimBatches = [], erc3009 = [] }) {
    const domain = domainOf(chainId, contract)
    return {
      domainSeparator: viem.hashDomain({
        domain,
        types: { EIP712Domain: [
          { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }] }
      }),
      channelIds: configs.map((c) => ({
        // the reference client's own function binds the canonical contract address
        x402: evmClient.computeChannelId(c, chainId),
        viem: viem.hashTypedData({ domain, types: { ChannelConfig: types.ChannelConfig }, primaryType: 'ChannelConfig', message: c }),
        canonicalDomain: viem.hashTypedData({ domain: domainOf(chainId, BATCH_SETTLEMENT_ADDRESS), types: { ChannelConfig: types.ChannelConfig }, primaryType: 'ChannelConfig', message: c })
      })),
      vouchers: vouchers.map((v) => viem.hashTypedData({
        domain, types: { Voucher: types.Voucher }, primaryType: 'Voucher',
        message: { channelId: v.channelId, maxClaimableAmount: BigInt(v.maxClaimableAmount) }
      })),
      refunds: refunds.map((r) => viem.hashTypedData({
        domain, types: { Refund: types.Refund }, primaryType: 'Refund',
        message: { channelId: r.channelId, nonce: BigInt(r.nonce), amount: BigInt(r.amount) }
      })),
      claimBatches: claimBatches.map((claims) => viem.hashTypedData({
        domain,
        types: { ClaimBatch: [{ name: 'claims', type: 'ClaimEntry[]' }], ClaimEntry: types.ClaimEntry },
        primaryType: 'ClaimBatch',
        message: { claims: claims.map((c) => ({ channelId: c.channelId, maxClaimableAmount: BigInt(c.maxClaimableAmount), totalClaimed: BigInt(c.totalClaimed) })) }
      })),
      erc3009: erc3009.map((e) => viem.hashTypedData({
        domain: e.domain, types: { ReceiveWithAuthorization: types.ReceiveWithAuthorization },
        primaryType: 'ReceiveWithAuthorization',
        message: { ...e.message, value: BigInt(e.message.value), validAfter: BigInt(e.message.validAfter), validBefore: BigInt(e.message.validBefore) }
      }))
    }
  },
  // A served inference receipt, verified by viem alone: the digest of its typed data and the address its
  // signature recovers to. The document is passed as served (EIP712Domain in types, extra members ignored).
  async receipt ({ doc }) {
    const typedData = { domain: doc.domain, types: doc.types, primaryType: doc.primaryType, message: doc.message }
    return {
      digest: viem.hashTypedData(typedData),
      signer: await viem.recoverTypedDataAddress({ ...typedData, signature: doc.signature })
    }
  },
  // A signed offer or receipt of the x402 offer-receipt extension, verified by @x402/extensions itself
  // (verifyOfferSignatureEIP712 / verifyReceiptSignatureEIP712): the signer and the payload it signed.
  async offerReceipt ({ kind, artifact }) {
    const ext = load('@x402/extensions/offer-receipt')
    const r = kind === 'offer' ? await ext.verifyOfferSignatureEIP712(artifact)
      : await ext.verifyReceiptSignatureEIP712(artifact)
    return json(r)
  },
  // The receipt's requestHash as viem's hashStruct computes it for the InferenceRequest type.
  requestHash ({ service, path, inferenceHeaderLength, body }) {
    return viem.hashStruct({
      types: {
        InferenceRequest: [{ name: 'service', type: 'string' }, { name: 'path', type: 'string' },
          { name: 'inferenceHeaderLength', type: 'uint64' }, { name: 'body', type: 'bytes' }]
      },
      primaryType: 'InferenceRequest',
      data: { service, path, inferenceHeaderLength: BigInt(inferenceHeaderLength), body }
    })
  },
  keccak ({ hex }) {
    return viem.keccak256(hex)
  },
  checksum ({ addresses }) {
    return addresses.map((a) => viem.getAddress(a))
  },
  // @x402/evm's own voucher signer (viem account).
  async 'sign-voucher' ({ privateKey, channelId, maxClaimableAmount, network }) {
    return evmClient.signVoucher(signerFor(privateKey), channelId, maxClaimableAmount, network)
  },
  async 'sign-digest' ({ privateKey, digest }) {
    const account = privateKeyToAccount(privateKey)
    return { address: account.address, signature: await account.sign({ hash: digest }) }
  },
  async recover ({ digest, signature }) {
    return viem.recoverAddress({ hash: digest, signature })
  },
  async 'verify-voucher' ({ address, chainId, contract, channelId, maxClaimableAmount, signature }) {
    return viem.verifyTypedData({
      address, domain: domainOf(chainId, contract), types: { Voucher: types.Voucher }, primaryType: 'Voucher',
      message: { channelId, maxClaimableAmount: BigInt(maxClaimableAmount) }, signature
    })
  },
  // Core's header codecs + zod schemas: how a stock client reads what the Java side wrote.
  decode ({ kind, header }) {
    if (kind === 'PAYMENT-REQUIRED') {
      const pr = coreHttp.decodePaymentRequiredHeader(header)
      schemas.PaymentRequiredV2Schema.parse(pr)
      return pr
    }
    if (kind === 'PAYMENT-SIGNATURE') {
      const p = coreHttp.decodePaymentSignatureHeader(header)
      schemas.PaymentPayloadV2Schema.parse(p)
      return p
    }
    if (kind === 'PAYMENT-RESPONSE') return coreHttp.decodePaymentResponseHeader(header)
    throw new Error('unknown header kind ' + kind)
  },
  encode ({ kind, value }) {
    if (kind === 'PAYMENT-REQUIRED') return coreHttp.encodePaymentRequiredHeader(value)
    if (kind === 'PAYMENT-SIGNATURE') return coreHttp.encodePaymentSignatureHeader(value)
    if (kind === 'PAYMENT-RESPONSE') return coreHttp.encodePaymentResponseHeader(value)
    throw new Error('unknown header kind ' + kind)
  },
  // A stock batch-settlement client (the one @x402/fetch would use) with in-memory channel storage.
  // spendControls as x402Client.setSpendControls takes them: a dev-chain token is not one of the client's
  // default assets, so a user must allow it explicitly (e.g. {"allowedAssets": true}).
  'client-new' ({ session, privateKey, salt, voucherSignerKey, spendControls }) {
    const signer = signerFor(privateKey)
    const options = { storage: new evmClient.InMemoryClientChannelStorage() }
    if (salt) options.salt = salt
    if (voucherSignerKey) options.voucherSigner = signerFor(voucherSignerKey)
    const scheme = new evmClient.BatchSettlementEvmScheme(signer, options)
    const client = new x402Client().register('eip155:*', scheme)
    if (spendControls !== undefined) client.setSpendControls(spendControls)
    const http = new x402HTTPClient(client)
    sessions.set(session, { scheme, http, storage: options.storage, address: signer.address })
    return { address: signer.address }
  },
  // Reads a PAYMENT-REQUIRED header as a client does and answers with the PAYMENT-SIGNATURE header.
  async 'client-pay' ({ session, paymentRequired }) {
    const s = sessions.get(session)
    const pr = s.http.getPaymentRequiredResponse((n) => (n === 'PAYMENT-REQUIRED' ? paymentRequired : null))
    schemas.PaymentRequiredV2Schema.parse(pr)
    const payload = await s.http.createPaymentPayload(pr)
    s.last = payload
    return { header: s.http.encodePaymentSignatureHeader(payload)['PAYMENT-SIGNATURE'], payload: json(payload) }
  },
  // Feeds the server's answer to the last payment back to the client (its hooks update channel storage).
  async 'client-result' ({ session, status, paymentResponse, paymentRequired }) {
    const s = sessions.get(session)
    const headers = { 'PAYMENT-RESPONSE': paymentResponse, 'PAYMENT-REQUIRED': paymentRequired }
    const result = await s.http.processPaymentResult(s.last, (n) => headers[n] ?? null, status)
    const channelId = s.last.payload.voucher.channelId
    return { result: json(result ?? null), channel: json((await s.storage.get(channelId)) ?? null) }
  }
}

const rl = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
rl.on('line', (line) => {
  queue = queue.then(async () => {
    let reply
    try {
      const req = JSON.parse(line)
      const fn = commands[req.cmd]
      if (!fn) throw new Error('unknown command ' + req.cmd)
      reply = { ok: true, result: json(await fn(req)) }
    } catch (e) {
      reply = { ok: false, error: String(e && e.stack ? e.stack : e) }
    }
    process.stdout.write(JSON.stringify(reply) + '\n')
  })
})
