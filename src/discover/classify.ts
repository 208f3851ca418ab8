import { basename } from 'node:path';
import type { FileKind } from '../model/types.js';

/** What a file is, from its name alone; undefined when the name does not say. */
export function kindFromName(path: string): FileKind | undefined {
  const name = basename(path).toLowerCase();
  if (name === 'server.xml' || /^[\w.-]*server[\w.-]*\.xml$/.test(name)) return 'server.xml';
  if (name === 'web.xml') return 'web.xml';
  if (name === 'web-fragment.xml') return 'web-fragment.xml';
  if (name === 'context.xml' || name === 'context.xml.default') return 'context.xml';
  if (name === 'catalina.properties') return 'catalina.properties';
  if (/^setenv\.(sh|bat)$/.test(name)) return 'setenv';
  if (name === 'workers2.properties') return 'workers2.properties';
  if (/^workers?\.properties$/.test(name)) return 'workers.properties';
  if (name === 'uriworkermap.properties') return 'uriworkermap.properties';
  if (name === 'httpd.conf' || name === 'apache2.conf') return 'httpd.conf';
  return undefined;
}

/** Files worth opening during a folder walk: config-looking names only. */
export function isCandidateName(path: string): boolean {
  const name = basename(path).toLowerCase();
  return (
    name.endsWith('.xml') ||
    name.endsWith('.properties') ||
    name.endsWith('.conf') ||
    name === 'context.xml.default' ||
    /^setenv\.(sh|bat)$/.test(name)
  );
}

const HTTPD_SECTION_START = /^<(VirtualHost|IfModule|IfDefine|IfVersion|IfFile|Location|LocationMatch|Directory|DirectoryMatch|Proxy|ProxyMatch|Files|FilesMatch|If|Else|ElseIf|Macro)[\s>]/i;

const COMMENT_OR_DECL = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/g;

/**
 * What a file is, from its content, for names that do not say (`tomcat1.server.xml`
 * says; `cluster.tpl`, `jk.conf` or `node-a.xml` do not). The name's verdict is kept
 * when the content agrees or says nothing.
 */
export function kindFromContent(path: string, text: string): FileKind {
  const byName = kindFromName(path);
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('<')) {
    const body = trimmed.replace(COMMENT_OR_DECL, '').trimStart();
    const root = /^<([A-Za-z_][\w:.-]*)/.exec(body)?.[1];
    const local = root?.split(':').pop();
    if (local === 'Server') return 'server.xml';
    if (local === 'web-app') return 'web.xml';
    if (local === 'web-fragment') return 'web-fragment.xml';
    if (local === 'Context') return 'context.xml';
    // A fragment such as a bare <Cluster> or <Engine> belongs to a server.xml.
    if (local === 'Cluster' || local === 'Engine' || local === 'Service' || local === 'Connector') return 'server.xml';
    if (byName && byName !== 'httpd.conf') return byName;
    // An httpd file may open with a section: `<VirtualHost *:80>`, `<IfModule mod_jk.c>`.
    if (/\.xml$/i.test(path) || !HTTPD_SECTION_START.test(body)) return byName ?? 'unknown';
  }
  if (byName && byName !== 'httpd.conf' && byName !== 'workers.properties') return byName;
  let workerKeys = 0;
  let jk2Sections = 0;
  let httpd = 0;
  let uriLines = 0;
  let lines = 0;
  for (const raw of head.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (++lines > 400) break;
    if (/^worker\.[^=\s]+\s*=/.test(line)) workerKeys++;
    else if (/^\[[\w.]+(:[^\]]*)?\]$/.test(line)) jk2Sections++;
    else if (/^<\/?(VirtualHost|IfModule|Location|LocationMatch|Directory|Proxy|Files|IfDefine)\b/i.test(line)) httpd++;
    else if (/^(Jk[A-Za-z]+|Proxy[A-Za-z]*|BalancerMember|LoadModule|Listen|ServerRoot|ServerName|Include|IncludeOptional|DocumentRoot|ErrorLog|LogLevel|RewriteRule|RewriteEngine|Alias)\b/i.test(line)) httpd++;
    else if (/^[!-]*[/*?][^=]*=/.test(line)) uriLines++;
  }
  if (jk2Sections > 0 && jk2Sections >= workerKeys) return 'workers2.properties';
  if (workerKeys > 0 && workerKeys >= httpd) return 'workers.properties';
  if (httpd > 0) return 'httpd.conf';
  if (uriLines > 0) return 'uriworkermap.properties';
  return byName ?? 'unknown';
}
