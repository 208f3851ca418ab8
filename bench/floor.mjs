#!/usr/bin/env node
// The floor cluster-lint is measured against: read the same files (a walk of the same
// folders) and parse the XML ones with fast-xml-parser's XMLParser, attributes included.
// Nothing else: no positions, no model, no rules. Prints one line so the work is not
// optimised away.
//
//   node bench/floor.mjs <dir> [...]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });
let files = 0;
let bytes = 0;
let elements = 0;

function count(node) {
  if (Array.isArray(node)) {
    for (const n of node) count(n);
  } else if (node && typeof node === 'object') {
    for (const k of Object.keys(node)) {
      if (!k.startsWith('@_')) {
        elements++;
        count(node[k]);
      }
    }
  }
}

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(path);
    } else if (entry.isFile()) {
      const text = readFileSync(path, 'utf8');
      files++;
      bytes += text.length;
      if (entry.name.endsWith('.xml')) count(parser.parse(text));
    }
  }
}

for (const dir of process.argv.slice(2)) walk(dir);
console.log(JSON.stringify({ files, bytes, elements }));
