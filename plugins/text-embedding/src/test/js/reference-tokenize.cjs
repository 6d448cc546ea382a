// Tokenizes texts with two implementations independent of the plugin's Java tokenizer, for
// WordPieceTokenizerAgreementTest:
//   - "rust": Hugging Face's Rust `tokenizers` crate (0.22) through the N-API build @anush008/tokenizers,
//     the implementation sentence-transformers uses;
//   - "js": tokenizers.js (@huggingface/tokenizers), the pure-JavaScript port used by transformers.js.
// Both load the same tokenizer.json offline. Truncation and padding are switched off: the test compares
// full token sequences, [CLS] and [SEP] included.
//
// usage: node reference-tokenize.cjs <tools dir> <tokenizer.json> <texts.json>   (texts.json: a JSON array)
// prints: {"versions": {...}, "rust": [[ids...], ...], "js": [[ids...], ...]}
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

async function main() {
  const [toolsDir, tokenizerPath, textsPath] = process.argv.slice(2);
  const toolsRequire = createRequire(path.join(path.resolve(toolsDir), 'package.json'));
  const texts = JSON.parse(fs.readFileSync(textsPath, 'utf8'));
  const tokenizerJson = JSON.parse(fs.readFileSync(tokenizerPath, 'utf8'));

  const rustLib = toolsRequire('@anush008/tokenizers');
  const rust = rustLib.Tokenizer.fromFile(tokenizerPath);
  rust.disableTruncation();
  rust.disablePadding();
  const rustIds = [];
  for (const t of texts) {
    const e = await rust.encode(t, null, { addSpecialTokens: true });
    rustIds.push(Array.from(e.getIds()));
  }

  const jsLib = toolsRequire('@huggingface/tokenizers');
  const js = new jsLib.Tokenizer(tokenizerJson, {});
  const jsIds = texts.map((t) => Array.from(js.encode(t).ids));

  const version = (name) => JSON.parse(fs.readFileSync(
      path.join(path.resolve(toolsDir), 'node_modules', name, 'package.json'), 'utf8')).version;
  process.stdout.write(JSON.stringify({
    versions: { '@anush008/tokenizers': version('@anush008/tokenizers'),
                '@huggingface/tokenizers': version('@huggingface/tokenizers'), node: process.version },
    rust: rustIds,
    js: jsIds,
  }));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
