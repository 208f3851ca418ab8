// Preloaded (node --import) by bench/run.mjs when /usr/bin/time is missing: reports the
// process's peak RSS on its last stderr line as it exits.
import { writeSync } from 'node:fs';

if (process.env.BENCH_RSS_PROBE === '1') {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeSync(2, `\nbench-rss-kb ${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`);
  });
}
