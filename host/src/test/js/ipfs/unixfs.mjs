// Real npm IPFS tooling on the other side of the Java ipfs tests. Run by the Java tests as
//   node unixfs.mjs <command> ...   with NODE_PATH-free resolution through tools/node_modules (see below).
// Commands (each prints one JSON line on stdout, errors on stderr with exit code 1):
//   add <file> [--car <out.car>] [--chunk <bytes>] [--width <links>]
//       ipfs-unixfs-importer with cidVersion 1, rawLeaves true (its defaults, stated explicitly);
//       writes the blocks as a CAR v1 (importer order: leaves first, root last) when --car is given.
//   verify-car <in.car>
//       @ipld/car reader; checks every block's sha2-256 against its CID, then exports the root file with
//       ipfs-unixfs-exporter and reports its size and sha256.
//   cids <cid>...
//       multiformats' view of each CID: version, codec, base32 and base58btc forms.
import { pathToFileURL } from 'node:url'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const tools = process.env.INFERGATE_TOOLS
if (!tools) throw new Error('INFERGATE_TOOLS must point at the tools/ directory')
// The script lives in the source tree, the packages in tools/node_modules: ESM resolution ignores NODE_PATH,
// so resolve each package's "import" export by hand (enough for these ESM-only packages).
const load = async (name) => {
  const parts = name.split('/')
  const pkgName = name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
  const sub = '.' + name.slice(pkgName.length)
  const dir = path.join(tools, 'node_modules', pkgName)
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  let target = pkg.exports?.[sub] ?? (sub === '.' ? (pkg.exports ?? pkg.main) : undefined)
  while (target && typeof target === 'object') target = target.import ?? target.default ?? target.node
  if (typeof target !== 'string') throw new Error(`cannot resolve ${name} in ${dir}`)
  return import(pathToFileURL(path.join(dir, target)).href)
}

const { importer } = await load('ipfs-unixfs-importer')
const { exporter } = await load('ipfs-unixfs-exporter')
const { MemoryBlockstore } = await load('blockstore-core/memory')
const { CarWriter, CarBlockIterator } = await load('@ipld/car')
const { CID } = await load('multiformats/cid')
const { sha256 } = await load('multiformats/hashes/sha2')
const { base58btc } = await load('multiformats/bases/base58')
const { equals } = await load('multiformats/bytes')

const [cmd, ...args] = process.argv.slice(2)
const opt = (name) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

async function add () {
  const file = args[0]
  const order = []
  const store = {
    async put (cid, bytes) { order.push({ cid, bytes }); return cid }
  }
  const options = { cidVersion: 1, rawLeaves: true }
  const chunk = opt('--chunk')
  const width = opt('--width')
  if (chunk || width) {
    const { fixedSize } = await load('ipfs-unixfs-importer/chunker')
    const { balanced } = await load('ipfs-unixfs-importer/layout')
    if (chunk) options.chunker = fixedSize({ chunkSize: Number(chunk) })
    if (width) options.layout = balanced({ maxChildrenPerNode: Number(width) })
  }
  let root
  for await (const entry of importer([{ content: fs.createReadStream(file) }], store, options)) {
    root = entry
  }
  const out = opt('--car')
  if (out) {
    const { writer, out: bytes } = CarWriter.create([root.cid])
    const sink = fs.createWriteStream(out)
    const done = (async () => { for await (const b of bytes) sink.write(b) })()
    for (const { cid, bytes } of order) await writer.put({ cid, bytes })
    await writer.close()
    await done
    await new Promise((resolve, reject) => sink.end((e) => e ? reject(e) : resolve()))
  }
  return { root: root.cid.toString(), size: Number(root.size), blocks: order.length }
}

async function verifyCar () {
  const iterator = await CarBlockIterator.fromIterable(fs.createReadStream(args[0]))
  const roots = await iterator.getRoots()
  const store = new MemoryBlockstore()
  let blocks = 0
  for await (const { cid, bytes } of iterator) {
    const digest = await sha256.digest(bytes)
    if (cid.multihash.code !== sha256.code || !equals(digest.digest, cid.multihash.digest)) {
      throw new Error(`block ${cid} does not match its hash`)
    }
    await store.put(cid, bytes)
    blocks++
  }
  if (roots.length !== 1) throw new Error(`expected one root, got ${roots.length}`)
  const entry = await exporter(roots[0], store)
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of entry.content()) {
    hash.update(chunk)
    size += chunk.length
  }
  return { root: roots[0].toString(), size, sha256: hash.digest('hex'), blocks }
}

function cids () {
  return args.map((s) => {
    const cid = CID.parse(s, s.startsWith('z') ? base58btc : undefined)
    const v1 = cid.toV1()
    return {
      input: s,
      version: cid.version,
      codec: cid.code,
      text: cid.toString(),
      v1: v1.toString(),
      v1base58: v1.toString(base58btc),
      v0: cid.code === 0x70 ? cid.toV0().toString() : null
    }
  })
}

try {
  const commands = { add, 'verify-car': verifyCar, cids }
  if (!commands[cmd]) throw new Error(`unknown command ${cmd}`)
  console.log(JSON.stringify(await commands[cmd]()))
} catch (e) {
  console.error(e.message)
  process.exit(1)
}
