'use strict';
// Compiles src/main/solidity with the pinned solc-js (tools/package-lock.json) into target/solidity:
//   <Contract>.abi, <Contract>.bin      inputs for web3j codegen (one wrapper per deployable contract)
//   contracts.json                      {solcVersion, settings, contracts: {Name: {abi, bytecode, deployedBytecode}}}
// Settings match foundry.toml, so forge tests and the Java wrappers exercise the same compiler output.
// Usage: node compile-contracts.cjs <moduleDir>
const fs = require('fs');
const path = require('path');

const moduleDir = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
const toolsDir = path.resolve(moduleDir, '..', 'tools');
let solc;
try {
  solc = require(path.join(toolsDir, 'node_modules', 'solc'));
} catch (e) {
  console.error(`solc-js not found under ${toolsDir}/node_modules: run \`npm ci --prefix tools\` from the repository root`);
  process.exit(2);
}

const srcRoot = path.join(moduleDir, 'src', 'main', 'solidity');
const outDir = path.join(moduleDir, 'target', 'solidity');
const DEPLOYABLE = ['BatchSettlement', 'Erc3009DepositCollector', 'DevUsd', 'ReceiptAnchor', 'ServiceRegistry', 'DevMulticall'];

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.sol') ? [path.join(dir, e.name)] : []);
}

const files = walk(srcRoot);
const combinedPath = path.join(outDir, 'contracts.json');
// Up to date: skip (solc-js takes several seconds, and Maven runs this on every build).
if (fs.existsSync(combinedPath)) {
  const built = fs.statSync(combinedPath).mtimeMs;
  const inputs = [...files, __filename, path.join(toolsDir, 'node_modules', 'solc', 'package.json')];
  if (inputs.every((f) => fs.statSync(f).mtimeMs < built)) {
    console.log('contracts up to date in ' + path.relative(moduleDir, outDir));
    process.exit(0);
  }
}

const sources = {};
for (const file of files) {
  sources[path.relative(srcRoot, file).split(path.sep).join('/')] = { content: fs.readFileSync(file, 'utf8') };
}
const settings = {
  optimizer: { enabled: true, runs: 10000 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};
const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings })));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
const combined = { solcVersion: solc.version(), settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion }, contracts: {} };
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    if (!DEPLOYABLE.includes(name)) continue;
    combined.contracts[name] = { source: file, abi: c.abi, bytecode: '0x' + c.evm.bytecode.object, deployedBytecode: '0x' + c.evm.deployedBytecode.object };
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object);
  }
}
const missing = DEPLOYABLE.filter((n) => !combined.contracts[n]);
if (missing.length) { console.error('contracts missing from compiler output: ' + missing.join(', ')); process.exit(1); }
fs.writeFileSync(combinedPath, JSON.stringify(combined, null, 1));
console.log(`compiled ${DEPLOYABLE.length} contracts with solc ${solc.version()} into ${path.relative(moduleDir, outDir)}`);
