import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths, summarize } from './helpers/run.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');

describe('clean clusters give zero findings', () => {
  for (const [name, options] of [
    ['seed-2006-fixed', {}],
    ['clean-tomcat10-modjk', {}],
    ['clean-proxy-balancer', {}],
    ['clean-multi-host', {}],
    ['clean-multi-host', { hosts: { app1: 'app1.example.com', app2: 'app2.example.com', app3: 'app3.example.com', web: 'web.example.com' } }],
  ] as const) {
    it(`${name}${Object.keys(options).length ? ' (hosts declared)' : ''}`, () => {
      const dir = join(EXAMPLES, name);
      const result = lintPaths(dir, ['.'], options);
      expect(summarize(result, dir)).toEqual([]);
      expect(result.model.nodes.length).toBeGreaterThanOrEqual(2);
      expect(result.model.frontEnds.length).toBe(1);
    });
  }
});
