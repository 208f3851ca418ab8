/**
 * Hostile input: entity expansion, external entities, paths named inside configs that point
 * out of the linted tree, symlink loops and escapes, Include cycles. Proven two ways: a
 * sentinel file outside the tree whose content must never appear in any output, and a watch
 * on every path the process hands to node:fs while it lints (none may lie outside the tree).
 */
import fs, { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintPaths } from '../helpers/run.js';
import { checkJsonRun, removeTree, runCli, tempDir, writeTree } from './helpers.js';

// ---------------------------------------------------------------- watching node:fs

const WATCHED = [
  'readFileSync', 'openSync', 'readdirSync', 'opendirSync', 'statSync', 'lstatSync', 'existsSync', 'accessSync',
  'realpathSync', 'readlinkSync', 'createReadStream', 'readFile', 'open', 'readdir', 'stat', 'lstat',
] as const;

/**
 * Records every path given to node:fs until `stop()`. Node's ESM named exports of a builtin
 * follow its CommonJS object after syncBuiltinESMExports(), so `import { readFileSync } from
 * 'node:fs'` in the sources sees the wrapper too.
 */
function watchFs(): { paths: string[]; stop: () => void } {
  const paths: string[] = [];
  const target = fs as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  const record = (p: unknown) => {
    if (typeof p === 'string') paths.push(p);
    else if (p instanceof URL) paths.push(p.pathname);
    else if (Buffer.isBuffer(p)) paths.push(p.toString());
  };
  for (const name of WATCHED) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    originals.set(name, original);
    const wrapped = function (this: unknown, ...args: unknown[]) {
      record(args[0]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    Object.assign(wrapped, original); // keeps realpathSync.native and friends
    target[name] = wrapped;
  }
  const realpathNative = fs.realpathSync.native;
  (fs.realpathSync as unknown as { native: unknown }).native = (p: fs.PathLike, ...rest: unknown[]) => {
    record(p);
    return (realpathNative as (...a: unknown[]) => string)(p, ...rest);
  };
  syncBuiltinESMExports();
  return {
    paths,
    stop() {
      for (const [name, original] of originals) target[name] = original;
      (fs.realpathSync as unknown as { native: unknown }).native = realpathNative;
      syncBuiltinESMExports();
    },
  };
}

const isInside = (p: string, dir: string) => p === dir || p.startsWith(dir + sep);

// ---------------------------------------------------------------- the trap

let root: string;
let cluster: string;
let outside: string;
let server: Server;
let connections = 0;
let port = 0;
const SENTINEL = `SENTINEL-${Math.random().toString(36).slice(2)}-DO-NOT-READ`;

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;

  root = tempDir('hostile');
  outside = join(root, 'outside');
  cluster = join(root, 'cluster');
  writeTree(outside, {
    'secret.txt': `${SENTINEL}\n`,
    'secret.dtd': `<!ENTITY leak "${SENTINEL}">\n`,
    'workers.properties': `worker.list=${SENTINEL}\nworker.${SENTINEL}.host=${SENTINEL}\nworker.${SENTINEL}.port=8009\n`,
    'uriworkermap.properties': `/${SENTINEL}/*=${SENTINEL}\n`,
    'extra.conf': `JkMount /${SENTINEL}/* ${SENTINEL}\nListen 8080\n`,
    'conf/httpd.conf': `JkMount /${SENTINEL}/* ${SENTINEL}\n`,
    'server.xml': `<Server port="8005" shutdown="${SENTINEL}"><Service name="S"><Engine name="E" defaultHost="h" jvmRoute="${SENTINEL}"/></Service></Server>\n`,
    'webapps/app/WEB-INF/web.xml': `<web-app><display-name>${SENTINEL}</display-name></web-app>\n`,
  });
  const secretUrl = `file://${join(outside, 'secret.txt')}`;
  writeTree(cluster, {
    'tomcat1/conf/server.xml': `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Server SYSTEM "file://${join(outside, 'secret.dtd')}" [
  <!ENTITY x SYSTEM "${secretUrl}">
  <!ENTITY passwd SYSTEM "file:///etc/passwd">
  <!ENTITY net SYSTEM "http://127.0.0.1:${port}/entity">
  <!ENTITY % pe SYSTEM "http://127.0.0.1:${port}/pe">
  %pe;
]>
<Server port="8005" shutdown="&passwd;">
  <Service name="Catalina">
    <Connector protocol="AJP/1.3" address="127.0.0.1" port="8009" secret="&net;" />
    <Engine name="Catalina" defaultHost="localhost" jvmRoute="&x;">
      <Host name="localhost" appBase="${join(outside, 'webapps')}" />
      <Host name="other" appBase="../../outside/webapps" />
      <Realm className="org.apache.catalina.realm.UserDatabaseRealm" resourceName="&leak;" />
    </Engine>
  </Service>
</Server>
`,
    'tomcat1/conf/Catalina/localhost/app.xml': `<?xml version="1.0"?>
<!DOCTYPE Context [ <!ENTITY x SYSTEM "${secretUrl}"> ]>
<Context docBase="${outside}" path="/&x;" />
`,
    'tomcat1/conf/catalina.properties': `include=${join(outside, 'secret.txt')}\ncommon.loader=${outside}/*.jar\n`,
    'tomcat1/bin/setenv.sh': `. ${join(outside, 'secret.txt')}\nJAVA_OPTS="-Djvm.route=$(cat ${join(outside, 'secret.txt')})"\n`,
    'apache/conf/httpd.conf': `ServerRoot "${outside}"
Include ${join(outside, 'extra.conf')}
Include /etc/passwd
IncludeOptional ../../outside/*.conf
Include conf/httpd.conf
JkWorkersFile /etc/shadow
JkWorkersFile ${join(outside, 'workers.properties')}
JkMountFile ../../outside/uriworkermap.properties
JkShmFile ${join(outside, 'jk.shm')}
JkLogFile ${join(outside, 'mod_jk.log')}
JkMount /app/* lb
`,
    'apache/conf/workers.properties': 'worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=node1\nworker.node1.type=ajp13\nworker.node1.host=127.0.0.1\nworker.node1.port=8009\nworker.node1.route=node1\n',
  });
  // Links out of the tree: a folder, a node, a file; and a link to the tree's own root (a loop).
  symlinkSync(outside, join(cluster, 'link-out'));
  symlinkSync(outside, join(cluster, 'tomcat2'));
  symlinkSync(join(outside, 'workers.properties'), join(cluster, 'apache', 'conf', 'uriworkermap.properties'));
  symlinkSync(join(outside, 'server.xml'), join(cluster, 'tomcat1', 'conf', 'server-02.xml'));
  symlinkSync(cluster, join(cluster, 'tomcat1', 'loop'));
  symlinkSync('../..', join(cluster, 'apache', 'conf', 'up'));
  symlinkSync(join(cluster, 'self-a'), join(cluster, 'self-b'));
  symlinkSync(join(cluster, 'self-b'), join(cluster, 'self-a'));
});

afterAll(async () => {
  removeTree(root);
  await new Promise((resolve) => server.close(resolve));
});

describe('nothing outside the given tree is ever read', () => {
  it('no output of any format carries the sentinel; every listed file is inside the tree', async () => {
    for (const format of ['json', 'pretty', 'sarif', 'mermaid', 'summary']) {
      const run = await runCli(['-f', format, '--no-color', '.'], cluster);
      expect(run.stderr, format).toBe('');
      expect([0, 1], format).toContain(run.code);
      expect(run.stdout.includes(SENTINEL), `${format} output carries the sentinel`).toBe(false);
      expect(run.stdout).not.toMatch(/root:x?:0:0/);
      if (format === 'json') {
        const results = checkJsonRun(run, 'json');
        for (const r of results) expect(isInside(r.filePath, cluster), r.filePath).toBe(true);
        expect(results.map((r) => relative(cluster, r.filePath)).sort()).toEqual([
          'apache/conf/httpd.conf',
          'apache/conf/workers.properties',
          'tomcat1/bin/setenv.sh',
          'tomcat1/conf/Catalina/localhost/app.xml',
          'tomcat1/conf/catalina.properties',
          'tomcat1/conf/server.xml',
        ]);
      }
    }
    expect(connections, 'connections to the entity server').toBe(0);
  });

  it('every path handed to node:fs while linting lies inside the tree (or is the config lookup)', async () => {
    const watch = watchFs();
    let run;
    try {
      run = await runCli(['-f', 'json', '.'], cluster);
    } finally {
      watch.stop();
    }
    expect(run.stderr).toBe('');
    // Positive control: the watch sees the tree's own files.
    expect(watch.paths.some((p) => p === join(cluster, 'tomcat1', 'conf', 'server.xml'))).toBe(true);
    const offending = watch.paths.filter(
      (p) =>
        isInside(p, outside) ||
        p.startsWith('/etc/') ||
        (isInside(p, root) && !isInside(p, cluster) && !p.endsWith('cluster-lint.config.json')),
    );
    expect(offending).toEqual([]);
    expect(connections).toBe(0);
  });

  it('entities stay as written in the model: &x; is the jvmRoute, never the file it names', () => {
    const result = lintPaths(cluster, ['.']);
    const node = result.model.nodes.find((n) => n.name === 'tomcat1');
    expect(node?.engine?.jvmRoute?.value).toBe('&x;');
    expect(JSON.stringify([...result.model.sources.keys()])).not.toContain('outside');
    expect(result.model.nodes.map((n) => n.name)).toEqual(['tomcat1']);
  });
});

describe('entity expansion is bounded', () => {
  it('billion laughs: no expansion, linear time, small output', async () => {
    const dir = tempDir('laughs');
    try {
      let dtd = '<!ENTITY lol "lol">\n';
      for (let i = 1; i <= 12; i++) dtd += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">\n`;
      const big = 'x'.repeat(100_000);
      writeTree(dir, {
        'tomcat1/conf/server.xml': `<?xml version="1.0"?>
<!DOCTYPE Server [
${dtd}<!ENTITY big "${big}">
<!ENTITY % pe "<!ENTITY again '&lol12;'>"> %pe;
]>
<Server port="8005" shutdown="&lol12;">
  <Service name="Catalina">
    <Connector port="8009" protocol="AJP/1.3" address="127.0.0.1" secret="&lol12;&lol12;&lol12;" />
    <Engine name="Catalina" defaultHost="localhost" jvmRoute="&lol12;">
      <Realm className="x" resourceName="${'&big;'.repeat(50_000)}" />
    </Engine>
  </Service>
</Server>
`,
      });
      const heapBefore = process.memoryUsage().heapUsed;
      const run = await runCli(['-f', 'json', '.'], dir);
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      checkJsonRun(run, 'billion laughs');
      expect(run.ms).toBeLessThan(5000);
      expect(run.stdout.length).toBeLessThan(200_000);
      expect(run.stdout).not.toContain('lollollol');
      expect(heapGrowth).toBeLessThan(200 * 1024 * 1024);
      const node = lintPaths(dir, ['.']).model.nodes[0];
      expect(node?.engine?.jvmRoute?.value).toBe('&lol12;');
    } finally {
      removeTree(dir);
    }
  });
});

describe('loops end', () => {
  it('Include cycles (self, mutual, through a glob) and JkMountFile cycles end', async () => {
    const dir = tempDir('include');
    try {
      writeTree(dir, {
        'apache/conf/httpd.conf': 'Include conf/httpd.conf\nInclude conf/a.conf\nIncludeOptional conf/*.conf\nJkWorkersFile conf/workers.properties\nJkMountFile conf/httpd.conf\nJkMount /x/* lb\n',
        'apache/conf/a.conf': 'Include conf/b.conf\nJkMount /a/* lb\n',
        'apache/conf/b.conf': 'Include conf/a.conf\nInclude conf/httpd.conf\nJkMountFile conf/a.conf\n',
        'apache/conf/workers.properties': 'worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=lb\n',
      });
      const run = await runCli(['-f', 'json', '.'], dir);
      checkJsonRun(run, 'include cycles');
      expect(run.ms).toBeLessThan(5000);
    } finally {
      removeTree(dir);
    }
  });

  it('symlink loops (to the root, to a parent, mutual, self) end and list each file once', async () => {
    const dir = tempDir('loops');
    try {
      writeTree(dir, {
        'tomcat1/conf/server.xml': '<Server port="8005" shutdown="x"><Service name="S"><Engine name="E" defaultHost="h" jvmRoute="t1"/></Service></Server>\n',
      });
      symlinkSync(dir, join(dir, 'tomcat1', 'root'));
      symlinkSync('..', join(dir, 'tomcat1', 'conf', 'parent'));
      symlinkSync(join(dir, 'm2'), join(dir, 'm1'));
      symlinkSync(join(dir, 'm1'), join(dir, 'm2'));
      symlinkSync(join(dir, 'self'), join(dir, 'self'));
      mkdirSync(join(dir, 'deep'));
      let d = join(dir, 'deep');
      for (let i = 0; i < 40; i++) {
        d = join(d, 'd');
        mkdirSync(d);
      }
      symlinkSync(join(dir, 'deep'), join(d, 'again'));
      const run = await runCli(['-f', 'json', '.'], dir);
      const results = checkJsonRun(run, 'symlink loops');
      expect(results.map((r) => relative(dir, r.filePath))).toEqual(['tomcat1/conf/server.xml']);
      expect(run.ms).toBeLessThan(5000);
      // Named on the command line through a loop, too.
      const again = await runCli(['-f', 'json', 'tomcat1/root/tomcat1/root/tomcat1', 'tomcat1'], dir);
      expect(checkJsonRun(again, 'symlink loops, named').length).toBe(1);
    } finally {
      removeTree(dir);
    }
  });

  it('a special file with a config name (a FIFO) is never opened', async () => {
    const dir = tempDir('fifo');
    try {
      writeTree(dir, { 'tomcat1/conf/server.xml': '<Server port="8005" shutdown="x"><Service name="S"><Engine name="E" defaultHost="h"/></Service></Server>\n' });
      const { spawnSync } = await import('node:child_process');
      const mk = spawnSync('mkfifo', [join(dir, 'tomcat1', 'conf', 'context.xml')]);
      if (mk.status !== 0) return; // no mkfifo here: nothing to prove
      const run = await runCli(['-f', 'json', '.'], dir);
      checkJsonRun(run, 'fifo');
    } finally {
      removeTree(dir);
    }
  });
});

describe('unreadable files are findings, not crashes', () => {
  it.skipIf(process.getuid?.() === 0)('a file without read permission is a parse-error at line 1', async () => {
    const dir = tempDir('perm');
    try {
      const [file] = writeTree(dir, { 'tomcat1/conf/server.xml': '<Server/>' });
      fs.chmodSync(file!, 0o000);
      const run = await runCli(['-f', 'json', '.'], dir);
      const results = checkJsonRun(run, 'unreadable');
      expect(results.flatMap((r) => r.messages).some((m) => m.ruleId === 'parse-error')).toBe(true);
    } finally {
      removeTree(dir);
    }
  });

  it('a folder named like a config file is not a crash', async () => {
    const dir = tempDir('dirname');
    try {
      mkdirSync(join(dir, 'tomcat1', 'conf', 'server.xml'), { recursive: true });
      writeFileSync(join(dir, 'tomcat1', 'conf', 'server.xml', 'web.xml'), '<web-app/>');
      const run = await runCli(['-f', 'json', '.'], dir);
      checkJsonRun(run, 'folder named server.xml');
    } finally {
      removeTree(dir);
    }
  });
});
