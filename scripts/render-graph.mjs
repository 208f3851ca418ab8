// Renders cluster-lint's --graph output to a PNG with Mermaid in headless Chromium.
//
//   npm run build && node scripts/render-graph.mjs [--out file.png] [--mmd file.mmd] [path ...]
//   node scripts/render-graph.mjs --out file.png --from graph.mmd     (render a saved graph)
//   --dom file.html also saves the rendered page (the SVG), for tests.
//
// Default: the seed example, written to docs/images/seed-2006-graph.png.
// Needs the mermaid devDependency and a Chromium (`apt-get install chromium`, or CHROMIUM=path).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
let out = join(root, 'docs', 'images', 'seed-2006-graph.png');
let mmdFile;
let from;
let domFile;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = resolve(args[++i]);
  else if (args[i] === '--mmd') mmdFile = resolve(args[++i]);
  else if (args[i] === '--from') from = resolve(args[++i]);
  else if (args[i] === '--dom') domFile = resolve(args[++i]);
  else paths.push(args[i]);
}
if (paths.length === 0) paths.push(...['tomcat1', 'tomcat2', 'apache'].map((n) => join(root, 'examples', 'seed-2006', n)));

const cli = join(root, 'dist', 'cli.js');
if (!from && !existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
// --graph exits 0 whatever it finds; anything else is a failed run.
const graph = from ? readFileSync(from, 'utf8') : execFileSync(process.execPath, [cli, '--graph', ...paths], { cwd: root, encoding: 'utf8' });
if (mmdFile) writeFileSync(mmdFile, graph);

const chromium = process.env.CHROMIUM ?? ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('which', [c]).status === 0);
if (!chromium) throw new Error('no Chromium found: apt-get install chromium, or set CHROMIUM');
const mermaidJs = pathToFileURL(join(root, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')).href;

const dir = mkdtempSync(join(tmpdir(), 'cl-graph-'));
const page = join(dir, 'graph.html');
// The graph text goes in as a JSON string, never as HTML.
writeFileSync(
  page,
  `<!doctype html>
<html><head><meta charset="utf-8">
<style>body { margin: 0; padding: 16px; background: #fff; font-family: sans-serif; } #out { display: inline-block; }</style>
<script src="${mermaidJs}"></script></head>
<body><div id="out"></div><pre id="size"></pre>
<script>
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', flowchart: { useMaxWidth: false, htmlLabels: true } });
mermaid.render('g', ${JSON.stringify(graph)}).then(({ svg }) => {
  document.getElementById('out').innerHTML = svg;
  const box = document.querySelector('#out svg').getBoundingClientRect();
  document.getElementById('size').textContent = 'SIZE ' + Math.ceil(box.width) + ' ' + Math.ceil(box.height);
}, (e) => { document.getElementById('size').textContent = 'ERROR ' + e.message; });
</script></body></html>`,
);

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars', '--allow-file-access-from-files', `--user-data-dir=${join(dir, 'profile')}`, '--virtual-time-budget=10000'];
try {
  // First pass: let Mermaid lay the graph out and tell its size; second pass: a screenshot that size.
  const dom = execFileSync(chromium, [...flags, '--dump-dom', pathToFileURL(page).href], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (domFile) writeFileSync(domFile, dom);
  const size = /(SIZE (\d+) (\d+)|ERROR [^<]*)/.exec(dom);
  if (!size || !size[2]) throw new Error(`Mermaid did not render the graph: ${size?.[1] ?? 'no output'}`);
  const width = Number(size[2]) + 32;
  const height = Number(size[3]) + 32;
  execFileSync(chromium, [...flags, `--screenshot=${out}`, `--window-size=${width},${height}`, pathToFileURL(page).href], { stdio: 'ignore' });
  if (!existsSync(out) || readFileSync(out).length === 0) throw new Error('Chromium wrote no screenshot');
  console.log(`${out} (${width}x${height})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
