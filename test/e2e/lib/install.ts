// Installs Debian's tomcat10, apache2 and libapache2-mod-jk when they are missing.
// Services are never started by the packages: a policy-rc.d that denies every start is
// put in place for the install when the machine has none (Debian containers usually do).
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { mustRun, run } from './sys.js';

export const CATALINA_HOME = '/usr/share/tomcat10';
export const APACHE_BIN = '/usr/sbin/apache2';
export const MOD_JK = '/usr/lib/apache2/modules/mod_jk.so';

/** What must exist on disk, and the package that brings it. */
const NEEDED: [path: string, pkg: string][] = [
  [`${CATALINA_HOME}/bin/catalina.sh`, 'tomcat10'],
  ['/usr/share/java/tomcat10-catalina-ha.jar', 'tomcat10'],
  ['/usr/share/tomcat10/etc/web.xml', 'tomcat10'],
  [APACHE_BIN, 'apache2'],
  ['/usr/lib/apache2/modules/mod_mpm_event.so', 'apache2'],
  [MOD_JK, 'libapache2-mod-jk'],
  ['/usr/sbin/ip', 'iproute2'],
];

export interface InstallReport {
  installed: string[];
  ms: number;
}

export async function ensurePackages(log: (line: string) => void): Promise<InstallReport> {
  const started = Date.now();
  if (process.getuid?.() !== 0) {
    throw new Error('the e2e harness needs root (apt-get, ip netns); run it as root, as CI does');
  }
  const missing = [...new Set(NEEDED.filter(([p]) => !existsSync(p)).map(([, pkg]) => pkg))];
  if (missing.length === 0) {
    log('packages: tomcat10, apache2, libapache2-mod-jk already installed');
    return { installed: [], ms: Date.now() - started };
  }
  log(`packages: installing ${missing.join(' ')} (apt-get)`);
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\n# cluster-lint e2e: no service starts during the install\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const lock = ['-o', 'DPkg::Lock::Timeout=300'];
    const update = await run('apt-get', [...lock, 'update', '-q'], { timeoutMs: 300_000, env });
    if (update.code !== 0) log(`apt-get update exited ${update.code} (continuing with the lists on disk)\n${update.stderr}`);
    await mustRun('apt-get', [...lock, 'install', '-y', '-q', '--no-install-recommends', ...missing], { timeoutMs: 600_000, env });
  } finally {
    if (ownPolicy) unlinkSync(policy);
  }
  const still = NEEDED.filter(([p]) => !existsSync(p)).map(([p]) => p);
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
  return { installed: missing, ms: Date.now() - started };
}
