import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LabState, ServerState } from '@site/src/runtime/types';
import LabTopology, { type TopologyServer } from './index';
import { listNames, networkView } from './network';

// Lab 05's shape: two balancers that each run HAProxy and keepalived, one web server with two programs.
const SERVERS: TopologyServer[] = [
  { name: 'lb-01', role: 'balancer', services: [{ name: 'haproxy' }, { name: 'keepalived' }] },
  { name: 'lb-02', role: 'balancer', services: [{ name: 'haproxy' }, { name: 'keepalived' }] },
  { name: 'web-01', role: 'web', services: [{ name: 'nginx' }, { name: 'app' }] },
];

function server(name: string, role: ServerState['role'], state: ServerState['state'], services: Record<string, string>): ServerState {
  return {
    name, role, state, requests: 0,
    services: Object.entries(services).map(([service, s], i) => ({ name: service, state: s as ServerState['services'][number]['state'], pid: s === 'up' ? 100 + i : null })),
  };
}

function labState(extra: Partial<LabState> = {}): LabState {
  return {
    type: 'state',
    lab: '05-load-balancer-cluster',
    time: 0,
    servers: [
      server('lb-01', 'balancer', 'up', { haproxy: 'up', keepalived: 'up' }),
      server('lb-02', 'balancer', 'degraded', { haproxy: 'up', keepalived: 'killed' }),
      server('web-01', 'web', 'up', { nginx: 'up', app: 'up' }),
    ],
    vip: { address: '10.0.0.100', owner: 'lb-01', claimants: ['lb-01'] },
    ...extra,
  };
}

/** The page's text as a screen reader reads it: tags removed, the sr-only words kept, entities decoded. */
function text(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;/g, "'").replace(/&quot;/g, '"');
}

/** The accessible name of a server's card: the text of its button. */
function card(html: string, name: string): string {
  const button = [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((m) => text(m[1])).find((t) => t.startsWith(`${name},`));
  if (button === undefined) throw new Error(`no card for ${name} in ${html}`);
  return button;
}

function services(html: string, name: string): string {
  const list = html.match(new RegExp(`<ul[^>]*aria-label="Services on ${name}"[^>]*>(.*?)</ul>`));
  if (!list) throw new Error(`no services for ${name} in ${html}`);
  return [...list[1].matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => text(m[1])).join(' | ');
}

const render = (state: LabState | null) => renderToStaticMarkup(<LabTopology servers={SERVERS} state={state} />);

describe('LabTopology', () => {
  it('names the programs of each server before the lab runs, and their states once it does', () => {
    expect(services(render(null), 'lb-01')).toBe('haproxy | keepalived');
    const html = render(labState());
    expect(services(html, 'lb-01')).toBe('haproxy: up | keepalived: up');
    expect(services(html, 'lb-02')).toBe('haproxy: up | keepalived: killed');
    expect(services(html, 'web-01')).toBe('nginx: up | app: up');
    expect(card(html, 'lb-02')).toBe('lb-02, degraded');
  });

  it('marks the card of the virtual IP\'s holder with the address, and no split brain when one server claims it', () => {
    const html = render(labState());
    expect(text(html)).toContain('Virtual IP 10.0.0.100 held by lb-01');
    expect(card(html, 'lb-01')).toBe('lb-01, up, holds 10.0.0.100');
    expect(card(html, 'lb-02')).not.toContain('holds');
    expect(text(html)).not.toContain('Split brain');
    expect(text(html)).not.toContain('claims MASTER');
  });

  it('draws a network cut as a line, and as a badge on both servers', () => {
    const html = render(labState({ partitions: [['lb-01', 'lb-02']] }));
    expect(html).toMatch(/<strong>lb-01<\/strong> <span aria-hidden="true">✂<\/span><span class="sr-only">and<\/span> <strong>lb-02<\/strong>: network cut/);
    expect(text(html)).toContain('lb-01 ✂and lb-02: network cut');
    expect(card(html, 'lb-01')).toBe('lb-01, up, holds 10.0.0.100, ✂ cut off from lb-02');
    expect(card(html, 'lb-02')).toBe('lb-02, degraded, ✂ cut off from lb-01');
    expect(card(html, 'web-01')).not.toContain('cut off');
  });

  it('warns of a split brain, and marks both claimants', () => {
    const html = render(labState({
      partitions: [['lb-01', 'lb-02']],
      vip: { address: '10.0.0.100', owner: 'lb-01', claimants: ['lb-01', 'lb-02'] },
    }));
    expect(text(html)).toContain('Split brain: lb-01 and lb-02 both claim 10.0.0.100');
    expect(card(html, 'lb-01')).toBe('lb-01, up, holds 10.0.0.100, claims MASTER, ✂ cut off from lb-02');
    expect(card(html, 'lb-02')).toBe('lb-02, degraded, claims MASTER, ✂ cut off from lb-01');
    // The warning is in the live region, so that a screen reader announces it when it appears.
    expect(html).toMatch(/aria-live="polite"[^>]*>.*Split brain/);
  });

  it('says when nobody holds the virtual IP', () => {
    const html = render(labState({ vip: { address: '10.0.0.100', owner: null, claimants: [] } }));
    expect(text(html)).toContain('Virtual IP 10.0.0.100 held by nobody');
    expect(text(html)).not.toContain('holds');
  });
});

describe('networkView', () => {
  it('lists, for each server, the servers it is cut off from', () => {
    const view = networkView(labState({ partitions: [['lb-01', 'lb-02'], ['lb-01', 'web-01']] }));
    expect(view.cuts).toEqual([['lb-01', 'lb-02'], ['lb-01', 'web-01']]);
    expect(Object.fromEntries(view.cutOff)).toEqual({ 'lb-01': ['lb-02', 'web-01'], 'lb-02': ['lb-01'], 'web-01': ['lb-01'] });
  });

  it('reads a state without the newer fields as no cut and no split brain', () => {
    const view = networkView(labState({ vip: { address: '10.0.0.100', owner: 'lb-01' } }));
    expect(view).toEqual({ cuts: [], cutOff: new Map(), splitBrain: [] });
    expect(networkView(null).cuts).toEqual([]);
  });
});

describe('listNames', () => {
  it('joins names as a sentence does', () => {
    expect(listNames(['lb-01'])).toBe('lb-01');
    expect(listNames(['lb-01', 'lb-02'])).toBe('lb-01 and lb-02');
    expect(listNames(['lb-01', 'lb-02', 'lb-03'])).toBe('lb-01, lb-02 and lb-03');
  });
});
