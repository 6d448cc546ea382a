'use strict';
// Answers the two things forge asks of a native solc: `--version`, and `--standard-json` on stdin.
// Everything else forge passes (--allow-paths, --base-path, --include-path) is about the file system;
// forge inlines every source's content into the standard JSON, so solc-js needs no import callback.
const path = require('path');
const fs = require('fs');

let solc;
try {
  solc = require(path.join(__dirname, '..', 'node_modules', 'solc'));
} catch (e) {
  process.stderr.write('solc-js is not installed: run `npm ci --prefix tools` from the repository root\n');
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + solc.version() + '\n');
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('solc-js shim only supports --version and --standard-json (got: ' + args.join(' ') + ')\n');
  process.exit(2);
}

const input = fs.readFileSync(0, 'utf8');
function findImports(importPath) {
  // Fallback only: resolve against the working directory and any --base-path/--include-path given.
  const roots = [process.cwd()];
  args.forEach((a, i) => { if ((a === '--base-path' || a === '--include-path') && args[i + 1]) roots.push(args[i + 1]); });
  for (const root of roots) {
    const p = path.resolve(root, importPath);
    if (fs.existsSync(p)) return { contents: fs.readFileSync(p, 'utf8') };
  }
  return { error: 'File not found: ' + importPath };
}
process.stdout.write(solc.compile(input, { import: findImports }));
