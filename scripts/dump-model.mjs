// Prints a summary of the cluster model for the given paths (a debugging aid).
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(resolve(new URL('..', import.meta.url).pathname), 'node_modules', '.cl-dump-'));
const root = resolve(new URL('..', import.meta.url).pathname);
try {
  const out = join(dir, 'dump.mjs');
  await build({ stdin: { contents: "export { discover } from './src/discover/discover.ts'; export { buildModel } from './src/model/build.ts';", resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning', packages: 'external', absWorkingDir: root });
  const { discover, buildModel } = await import(pathToFileURL(out).href);
  const cwd = process.cwd();
  const model = buildModel(discover({ paths: process.argv.slice(2).map((p) => resolve(cwd, p)), cwd, hosts: new Map(), versions: new Map(), ignore: [] }));
  for (const n of model.nodes) {
    console.log(`node ${n.name} host=${n.host.name}(${n.host.source}) version=${n.version.version ?? '?'}/${n.version.generation ?? ''} (${n.version.evidence ?? ''}) jvmRoute=${n.engine?.jvmRoute?.value}`);
    console.log(`  shutdown=${n.shutdown?.effectivePort} connectors=${n.connectors.map((c) => `${c.protocol}:${c.effectivePort}${c.address ? '@' + c.address.value : ''}`).join(' ')}`);
    const c = n.cluster;
    if (c) console.log(`  cluster ${c.generation} ${c.level} membership=${c.membership.kind === 'multicast' ? `${c.membership.address.value}:${c.membership.port.value} bind=${c.membership.bind?.value}` : c.membership.kind} receiver=${c.receiver.address.value}:${c.receiver.port.value}+${c.receiver.autoBind} manager=${c.manager.value} ignored=${c.ignored.map((i) => i.what).join(',')}`);
    for (const a of n.apps) console.log(`  app ${a.name} ${a.contextPath} distributable=${a.distributable} contexts=${a.contexts.map((x) => x.scope + (x.manager ? '+Manager' : '')).join(',')}`);
  }
  for (const f of model.frontEnds) {
    console.log(`front ${f.name} host=${f.host.name}(${f.host.source}) kinds=${f.kinds.join(',')} modules=${[...f.modules].join(',')}`);
    for (const b of f.balancers) {
      console.log(`  balancer ${b.kind} ${b.name} sticky=${b.sticky.value} cookie=${b.sessionCookie?.value}`);
      for (const m of b.members) console.log(`    member ${m.name} ${m.host.value}:${m.port.value} route=${m.route?.value}(${m.routeSource}) defined=${m.defined} -> ${m.target ? `${m.target.node.name}:${m.target.connector.protocol}:${m.target.connector.effectivePort} (${m.target.via})` : `none [${m.candidates.map((c) => c.name)}]`}`);
    }
    for (const m of f.directMembers) console.log(`  direct ${m.name} ${m.host.value}:${m.port.value} -> ${m.target?.node.name ?? 'none'}`);
    for (const m of f.mounts) console.log(`  mount ${m.source} ${m.path} -> ${m.worker.value}`);
  }
  for (const p of model.parseProblems) console.log(`problem ${p.span.file}:${p.span.line}:${p.span.column} ${p.message}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
