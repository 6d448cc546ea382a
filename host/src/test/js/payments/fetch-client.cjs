// A stock x402 client: @x402/fetch + @x402/evm batch-settlement, unchanged, paying an Infergate node.
// Usage: INFERGATE_TOOLS=<tools dir> node fetch-client.cjs <url> <payer private key> <JSON body> <calls>
// Prints a JSON array: for each call {status, body, paymentResponse, receiptId}.
const path = require('node:path')
const { createRequire } = require('node:module')

const tools = process.env.INFERGATE_TOOLS
if (!tools) throw new Error('INFERGATE_TOOLS must point at the tools/ directory')
const load = createRequire(path.join(tools, 'package.json'))
const { privateKeyToAccount } = load('viem/accounts')
const { wrapFetchWithPayment, x402Client, decodePaymentResponseHeader } = load('@x402/fetch')
const evmClient = load('@x402/evm/batch-settlement/client')

const [url, key, body, calls] = process.argv.slice(2)
const account = privateKeyToAccount(key)
const signer = { address: account.address, signTypedData: (p) => account.signTypedData(p) }
const scheme = new evmClient.BatchSettlementEvmScheme(signer, { storage: new evmClient.InMemoryClientChannelStorage() })
const client = new x402Client().register('eip155:*', scheme)
// A dev-chain token is not one of the client's default assets: allow it explicitly, as a user must.
client.setSpendControls({ allowedAssets: true })
const pay = wrapFetchWithPayment(fetch, client)

;(async () => {
  const out = []
  for (let i = 0; i < Number(calls); i++) {
    const r = await pay(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    const header = r.headers.get('PAYMENT-RESPONSE')
    out.push({ status: r.status, body: await r.text(), paymentResponse: header ? decodePaymentResponseHeader(header) : null,
      receiptId: r.headers.get('Infergate-Receipt-Id') })
  }
  console.log(JSON.stringify(out, (_, x) => (typeof x === 'bigint' ? x.toString() : x)))
})().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1) })
