// The stock x402 client's cooperative refund: @x402/fetch + @x402/evm batch-settlement, unchanged. It pays
// <calls> calls, then asks for each refund amount in turn ("" = everything left) with the scheme's own refund().
// Usage: INFERGATE_TOOLS=<tools dir> node refund-client.cjs <url> <payer private key> <JSON body> <calls> <amount>...
// Prints JSON {calls: [{status, body, paymentResponse}], refunds: [{settle} | {error}], refundHeaders: [...]}.
// refundHeaders are the PAYMENT-SIGNATURE headers the client sent with GET (recorded, not altered), so the
// test can replay them.
const path = require('node:path')
const { createRequire } = require('node:module')

const tools = process.env.INFERGATE_TOOLS
if (!tools) throw new Error('INFERGATE_TOOLS must point at the tools/ directory')
const load = createRequire(path.join(tools, 'package.json'))
const { privateKeyToAccount } = load('viem/accounts')
const { wrapFetchWithPayment, x402Client, decodePaymentResponseHeader } = load('@x402/fetch')
const evmClient = load('@x402/evm/batch-settlement/client')

const [url, key, body, calls, ...amounts] = process.argv.slice(2)
const account = privateKeyToAccount(key)
const signer = { address: account.address, signTypedData: (p) => account.signTypedData(p) }
const scheme = new evmClient.BatchSettlementEvmScheme(signer, { storage: new evmClient.InMemoryClientChannelStorage() })
const client = new x402Client().register('eip155:*', scheme)
client.setSpendControls({ allowedAssets: true })
const pay = wrapFetchWithPayment(fetch, client)

const refundHeaders = []
const recording = (input, init) => {
  const sent = init && init.headers && (init.headers['PAYMENT-SIGNATURE'] || init.headers['payment-signature'])
  if (sent) refundHeaders.push(sent)
  return fetch(input, init)
}

;(async () => {
  const out = { calls: [], refunds: [], refundHeaders }
  for (let i = 0; i < Number(calls); i++) {
    const r = await pay(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    const header = r.headers.get('PAYMENT-RESPONSE')
    out.calls.push({ status: r.status, body: await r.text(), paymentResponse: header ? decodePaymentResponseHeader(header) : null })
  }
  for (const amount of amounts) {
    try {
      const settle = await scheme.refund(url, { fetch: recording, ...(amount ? { amount } : {}) })
      out.refunds.push({ settle })
    } catch (e) {
      out.refunds.push({ error: String(e && e.message ? e.message : e) })
    }
  }
  console.log(JSON.stringify(out, (_, x) => (typeof x === 'bigint' ? x.toString() : x)))
})().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1) })
