// The peer a user might pick instead of Infergate, for the paid load run (bench/run-paid-load.sh, PEER=1):
// the npm x402 reference resource server (@x402/express 2.27.0 with the batch-settlement server scheme of
// @x402/evm 2.27.0) and the reference batch-settlement facilitator in the same process (an x402Facilitator from
// @x402/core, which is a FacilitatorClient without the HTTP hop), in front of the same all-MiniLM-L6-v2 int8
// ONNX file through onnxruntime-node, with the plugin's tokenizer.json through the Rust `tokenizers` crate
// (@anush008/tokenizers), mean pooling over real tokens and L2 normalisation, as the Java plugin does.
//
//   POST /v1/services/text-embedding  {"texts": ["...", ...]}  ->  {"embeddings": [[384 floats], ...]}
//
// Payments (unless --unpaid): scheme batch-settlement on the dev chain described by --chain (written by
// io.infergate.bench.payments.PeerChain: anvil, Infergate's BatchSettlement at the canonical x402 address,
// channels deposited on chain). The reference server keeps its channel state in memory (its default
// InMemoryChannelStorage: lost on restart), or with --storage <dir> in its FileChannelStorage (one JSON file per
// channel, written to a temporary file and renamed, no fsync), verifies a channel's first voucher through the facilitator (which reads the chain)
// and later vouchers locally while its mirror of the chain is fresh (onchainStateTtlMs, 5 min by default here).
// It does not claim: the bench measures the call path, as for Infergate's paid node.
//
// usage: node bench/peer/x402-peer-server.mjs --port <n> --model <model.onnx> --tokenizer <tokenizer.json>
//            (--chain <peer-chain.json> [--storage <dir>] | --unpaid) [--price 1000] [--threads 1]
//            [--tools <tools dir>]
// Prints "x402 peer ready at http://127.0.0.1:<port>" when it serves.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const MAX_TOKENS = 256;     // as the plugin: sentence-transformers' max_seq_length for this model
const DIMENSIONS = 384;
const MAX_BATCH = 32;       // the plugin's maxBatchSize

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string' }, model: { type: 'string' }, tokenizer: { type: 'string' },
    chain: { type: 'string' }, storage: { type: 'string' }, unpaid: { type: 'boolean', default: false }, price: { type: 'string', default: '1000' },
    threads: { type: 'string', default: '1' }, tools: { type: 'string' },
  },
});
const fail = (msg) => { console.error(`x402-peer-server: ${msg}`); process.exit(2); };
if (!opt.port || !opt.model || !opt.tokenizer) fail('--port, --model and --tokenizer are required');
if (!opt.unpaid && !opt.chain) fail('--chain <peer-chain.json> is required unless --unpaid');

const toolsDir = path.resolve(opt.tools ?? process.env.INFERGATE_TOOLS_DIR
    ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../tools'));
const require = createRequire(path.join(toolsDir, 'package.json'));
const need = (name) => {
  try {
    return require(name);
  } catch (e) {
    fail(`cannot load ${name} from ${toolsDir} (${e.message}); run: npm ci --prefix tools`);
  }
};
const ort = need('onnxruntime-node');
const { Tokenizer } = need('@anush008/tokenizers');
const express = need('express');

// --- the model: same file, same session settings as the host (intra-op 1, inter-op 1, no spinning) -----------
const threads = Number(opt.threads);
const session = await ort.InferenceSession.create(opt.model, {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
});
for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) {
  if (!session.inputNames.includes(name)) fail(`${opt.model} has no input '${name}'; its inputs are ${session.inputNames}`);
}
if (!session.outputNames.includes('last_hidden_state')) {
  fail(`${opt.model} has no output 'last_hidden_state'; its outputs are ${session.outputNames}`);
}
const tokenizer = Tokenizer.fromFile(opt.tokenizer);
tokenizer.setTruncation(MAX_TOKENS);
tokenizer.disablePadding();

class BadRequest extends Error {}

async function embed(texts) {
  const encodings = await Promise.all(texts.map((t) => tokenizer.encode(t, null, { addSpecialTokens: true })));
  const ids = encodings.map((e) => e.getIds());
  ids.forEach((row, i) => {
    if (row.length <= 2) throw new BadRequest(`'texts[${i}]' has nothing to embed: it holds only white space or control characters`);
  });
  const batch = ids.length;
  const seq = Math.max(...ids.map((r) => r.length));
  const inputIds = new BigInt64Array(batch * seq);
  const mask = new BigInt64Array(batch * seq);
  ids.forEach((row, b) => row.forEach((id, t) => { inputIds[b * seq + t] = BigInt(id); mask[b * seq + t] = 1n; }));
  const dims = [batch, seq];
  const out = await session.run({
    input_ids: new ort.Tensor('int64', inputIds, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch * seq), dims),
  }, ['last_hidden_state']);
  const hidden = out.last_hidden_state.data;
  const embeddings = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(DIMENSIONS);
    const n = ids[b].length;          // real tokens come first, padding after them
    for (let t = 0; t < n; t++) {
      const base = (b * seq + t) * DIMENSIONS;
      for (let d = 0; d < DIMENSIONS; d++) sum[d] += hidden[base + d];
    }
    const v = new Float32Array(DIMENSIONS);
    let sq = 0;
    for (let d = 0; d < DIMENSIONS; d++) { v[d] = sum[d] / n; sq += v[d] * v[d]; }
    const norm = Math.max(Math.sqrt(sq), 1e-12);
    for (let d = 0; d < DIMENSIONS; d++) v[d] = v[d] / norm;
    embeddings.push(Array.from(v));
  }
  return embeddings;
}

// --- HTTP ------------------------------------------------------------------------------------------------------
const ROUTE = '/v1/services/text-embedding';
const app = express();
app.disable('x-powered-by');
app.disable('etag');

if (!opt.unpaid) {
  const chain = JSON.parse(readFileSync(opt.chain, 'utf8'));
  const viem = need('viem');
  const { privateKeyToAccount } = need('viem/accounts');
  const { toFacilitatorEvmSigner } = need('@x402/evm');
  const { BatchSettlementEvmScheme: ServerScheme } = need('@x402/evm/batch-settlement/server');
  const { BatchSettlementEvmScheme: FacilitatorScheme } = need('@x402/evm/batch-settlement/facilitator');
  const { x402Facilitator } = need('@x402/core/facilitator');
  const { x402ResourceServer, paymentMiddleware } = need('@x402/express');

  const devChain = viem.defineChain({
    id: chain.chainId, name: 'infergate-dev', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
  });
  const facilitatorAccount = privateKeyToAccount(chain.facilitatorKey);
  const wallet = viem.createWalletClient({ account: facilitatorAccount, chain: devChain, transport: viem.http(chain.rpcUrl) })
    .extend(viem.publicActions);
  // The facilitator holds the receiver-authorizer key and advertises it; the server delegates to it.
  const facilitator = new x402Facilitator().register(chain.network, new FacilitatorScheme(
    toFacilitatorEvmSigner({ ...wallet, address: facilitatorAccount.address }),
    privateKeyToAccount(chain.receiverAuthorizerKey)));
  const storage = opt.storage
    ? new (need('@x402/evm/batch-settlement/server/file-storage').FileChannelStorage)({ directory: path.resolve(opt.storage) })
    : undefined;   // the reference's default: InMemoryChannelStorage
  const server = new x402ResourceServer(facilitator)
    .register(chain.network, new ServerScheme(chain.payTo, { withdrawDelay: chain.withdrawDelay, storage }));
  app.use(paymentMiddleware({
    [`POST ${ROUTE}`]: {
      accepts: {
        scheme: 'batch-settlement', network: chain.network, payTo: chain.payTo, maxTimeoutSeconds: 3600,
        price: { amount: opt.price, asset: chain.token, extra: { name: chain.tokenName, version: chain.tokenVersion } },
      },
      description: 'Sentence embeddings: all-MiniLM-L6-v2 (int8), 384 dimensions, onnxruntime-node',
      mimeType: 'application/json',
    },
  }, server));
}

app.post(ROUTE, express.json({ limit: '1mb' }), async (req, res) => {
  try {
    const texts = req.body?.texts;
    if (!Array.isArray(texts) || texts.length === 0 || texts.length > MAX_BATCH
        || texts.some((t) => typeof t !== 'string')) {
      throw new BadRequest(`'texts' must be an array of 1 to ${MAX_BATCH} strings`);
    }
    res.json({ embeddings: await embed(texts) });
  } catch (e) {
    if (e instanceof BadRequest) {
      res.status(400).json({ error: e.message });
    } else {
      console.error(e);
      res.status(500).json({ error: `inference failed: ${e.message}` });
    }
  }
});
app.use((err, req, res, next) => {   // express.json's parse errors and the like, as JSON
  if (res.headersSent) return next(err);
  res.status(err.status ?? 500).json({ error: err.message });
});

const httpServer = app.listen(Number(opt.port), '127.0.0.1', () => {
  const mode = opt.unpaid ? 'unpaid' : `paid, channel state ${opt.storage ? `in files under ${opt.storage}` : 'in memory'}`;
  console.log(`x402 peer ready at http://127.0.0.1:${opt.port} (${mode}, onnxruntime-node ${ort.env.versions.node})`);
});
httpServer.keepAliveTimeout = 60_000;
const stop = () => httpServer.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
