import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { lintPaths } from '../helpers/run.js';

/** The edit text of `deprecated-directive` fixes: applied to the linted text, then linted again. */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cl-deprecated-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const HTTPD = 'LoadModule jk_module modules/mod_jk.so\nJkWorkersFile conf/workers.properties\nJkMount /app/* lb\n';

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
}

function lint(): { findings: Finding[]; texts: Map<string, string> } {
  const result = lintPaths(dir, ['apache']);
  const texts = new Map<string, string>();
  for (const [file, source] of result.model.sources) texts.set(file, source.text);
  return { findings: result.findings.filter((f) => f.ruleId === 'deprecated-directive'), texts };
}

/** Applies every fix (edits of one file from the end, so offsets stay valid) and returns the new texts by base name. */
function applyAll(findings: Finding[], texts: Map<string, string>): Record<string, string> {
  const edits = findings.flatMap((f) => f.fix?.edits ?? []);
  const out = new Map(texts);
  const byFile = new Map<string, typeof edits>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    let text = out.get(file)!;
    for (const e of [...list].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    out.set(file, text);
  }
  const named: Record<string, string> = {};
  for (const [file, text] of out) named[file.slice(dir.length + 1)] = text;
  return named;
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
}

describe('deprecated-directive fixes', () => {
  it('renames balanced_workers, jvm_route, cachesize and cache_timeout to their successors', () => {
    write({
      'apache/conf/httpd.conf': HTTPD,
      'apache/conf/workers.properties': [
        'worker.list=lb',
        'worker.t1.host=127.0.0.1',
        'worker.t1.port=8009',
        'worker.t1.jvm_route=t1',
        'worker.t1.cachesize = 10   # threads per child',
        '  worker.t1.cache_timeout=600',
        'worker.t2.port=8010',
        'worker.lb.type=lb',
        'worker.lb.balanced_workers=t1,t2',
        '',
      ].join('\n'),
    });
    const { findings, texts } = lint();
    expect(findings).toHaveLength(4);
    expect(findings.every((f) => f.fix !== undefined)).toBe(true);
    const fixed = applyAll(findings, texts);
    expect(lines(fixed['apache/conf/workers.properties'])).toEqual([
      'worker.list=lb',
      'worker.t1.host=127.0.0.1',
      'worker.t1.port=8009',
      'worker.t1.route=t1',
      'worker.t1.connection_pool_size = 10   # threads per child',
      '  worker.t1.connection_pool_timeout=600',
      'worker.t2.port=8010',
      'worker.lb.type=lb',
      'worker.lb.balance_workers=t1,t2',
    ]);
    expect(findings.map((f) => f.fix!.description)).toContain('Rename `balanced_workers` to `balance_workers`');

    write(fixed);
    expect(lint().findings).toEqual([]);
  });

  it('turns disabled/stopped into activation with the value mod_jk derives', () => {
    write({
      'apache/conf/httpd.conf': HTTPD,
      'apache/conf/workers.properties': [
        'worker.list=lb',
        'worker.t1.port=8009',
        'worker.t1.disabled = True',
        'worker.t2.port=8010',
        'worker.t2.stopped=1',
        'worker.t3.port=8011',
        'worker.t3.disabled=off',
        'worker.lb.type=lb',
        'worker.lb.balance_workers=t1,t2,t3',
        '',
      ].join('\n'),
    });
    const { findings, texts } = lint();
    expect(findings).toHaveLength(3);
    const fixed = applyAll(findings, texts);
    expect(lines(fixed['apache/conf/workers.properties'])).toEqual([
      'worker.list=lb',
      'worker.t1.port=8009',
      'worker.t1.activation = D',
      'worker.t2.port=8010',
      'worker.t2.activation=S',
      'worker.t3.port=8011',
      'worker.t3.activation=A',
      'worker.lb.type=lb',
      'worker.lb.balance_workers=t1,t2,t3',
    ]);
    write(fixed);
    expect(lint().findings).toEqual([]);
  });

  it('offers no fix when the behaviour would change or is unclear', () => {
    write({
      'apache/conf/httpd.conf': HTTPD,
      'apache/conf/workers.properties': [
        'flag=true',
        'worker.list=lb',
        // successor present: the old line is ignored, removing it is the user's call
        'worker.t1.route=t1',
        'worker.t1.jvm_route=node1',
        // no effect today: renaming would start closing connections
        'worker.t1.recycle_timeout=300',
        // variable value
        'worker.t2.disabled=$(flag)',
        // both old activation flags
        'worker.t3.disabled=true',
        'worker.t3.stopped=true',
        // no successor at all
        'worker.lb.local_worker_only=1',
        'worker.lb.type=lb',
        'worker.lb.balance_workers=t1,t2,t3',
        '',
      ].join('\n'),
    });
    const { findings } = lint();
    expect(findings).toHaveLength(6);
    expect(findings.filter((f) => f.fix !== undefined)).toEqual([]);
    const t3 = findings.filter((f) => f.message.includes('`t3`'));
    expect(t3.every((f) => f.message.includes('activation=S'))).toBe(true);
  });

  it('renames inside a JkWorkerProperty line of httpd.conf', () => {
    write({
      'apache/conf/httpd.conf': `${HTTPD}JkWorkerProperty worker.t1.jvm_route=t1\n`,
      'apache/conf/workers.properties': 'worker.list=lb\nworker.t1.port=8009\nworker.lb.type=lb\nworker.lb.balance_workers=t1\n',
    });
    const { findings, texts } = lint();
    expect(findings).toHaveLength(1);
    const fixed = applyAll(findings, texts);
    expect(fixed['apache/conf/httpd.conf']).toBe(`${HTTPD}JkWorkerProperty worker.t1.route=t1\n`);
  });
});
