import { describe, expect, it } from 'vitest';
import type { LabSessionSnapshot } from '@site/src/runtime/session';
import { sameBesidesLive } from './use-session';

const BASE: LabSessionSnapshot = {
  status: { phase: 'starting', backend: 'local', label: 'on your machine', message: 'Starting the servers (lab up)…' },
  terminal: { attached: true },
  lab: null,
  traffic: [],
  checks: { results: {}, running: [] } as unknown as LabSessionSnapshot['checks'],
  progress: { passed: [], step: 0 } as unknown as LabSessionSnapshot['progress'],
  files: {},
  solution: { available: true, applied: false },
  action: { last: null } as unknown as LabSessionSnapshot['action'],
};

describe('the panel\'s share of the session\'s state', () => {
  it('is the same while only the live state changes, though the session makes `solution` afresh each time', () => {
    const live = { ...BASE, lab: { type: 'state', lab: 'x', time: 2, servers: [], vip: null } as LabSessionSnapshot['lab'], traffic: [{ time: 2, counts: new Map() }], solution: { ...BASE.solution } };
    expect(sameBesidesLive(BASE, live)).toBe(true);
  });

  it('changes with anything the panel shows', () => {
    expect(sameBesidesLive(BASE, { ...BASE, status: { ...BASE.status, phase: 'ready' } })).toBe(false);
    expect(sameBesidesLive(BASE, { ...BASE, solution: { available: true, applied: true } })).toBe(false);
    expect(sameBesidesLive(BASE, { ...BASE, files: { 'a.conf': { content: 'x', saved: 'x' } } as unknown as LabSessionSnapshot['files'] })).toBe(false);
  });
});
