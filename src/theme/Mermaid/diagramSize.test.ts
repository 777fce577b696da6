import {describe, expect, test} from 'vitest';
import {estimateDiagramSize} from './diagramSize';

/**
 * Sizes that Mermaid 11 drew these diagrams at (their SVG viewBox), measured in Chromium. The estimate must keep
 * each diagram's proportions close enough that it fills the reserved box (the end-to-end tests check every diagram
 * of the course the same way, in the browser).
 */
const measured: Array<{name: string; source: string; width: number; height: number}> = [
  {
    name: 'the one-server topology: left to right, a subgraph, labelled links',
    source: `flowchart LR
  browser([Browser]) -- "1. where is www.example.com?" --> dns[(DNS)]
  browser -- "2. HTTP to 8.8.8.8" --> nginx
  subgraph server01 ["server-01 (8.8.8.8)"]
    nginx[Nginx<br/>web server] -- "dynamic requests" --> app[Application<br/>server]
    nginx -- "static files" --> files[(Code and<br/>static files)]
    app -- "SQL queries" --> mysql[(MySQL<br/>database)]
  end`,
    width: 1132,
    height: 413,
  },
  {
    name: 'a balancer and two servers, with piped labels',
    source: `flowchart LR
  client([Browser]) -->|"www.foobar.com → 10.0.0.11"| lb["lb-01<br/>HAProxy"]
  lb -->|round robin| web1["web-01<br/>Nginx"]
  lb -->|round robin| web2["web-02<br/>Nginx"]`,
    width: 744,
    height: 222,
  },
  {
    name: 'a top-down chain with a fork',
    source: `flowchart TD
  a[Client] --> b[Load balancer]
  b --> c[Web 1]
  b --> d[Web 2]
  c --> e[(Database)]
  d --> e`,
    width: 286,
    height: 399,
  },
  {
    name: 'VRRP states, with a cycle and labelled transitions',
    source: `stateDiagram-v2
  [*] --> BACKUP
  BACKUP --> MASTER: higher priority / no advert
  MASTER --> BACKUP: higher priority advert
  MASTER --> FAULT: check fails
  BACKUP --> FAULT: check fails
  FAULT --> BACKUP: check recovers`,
    width: 547,
    height: 372,
  },
  {
    name: 'a health-check sequence with a loop and a note',
    source: `sequenceDiagram
  participant C as Client
  participant L as HAProxy
  participant W1 as web-01
  participant W2 as web-02
  loop every 2s
    L->>W1: GET /health
    W1-->>L: 200
    L->>W2: GET /health
    W2--xL: timeout
  end
  Note over L,W2: web-02 marked DOWN after 3 failures
  C->>L: GET /
  L->>W1: GET /
  W1-->>L: 200
  L-->>C: 200`,
    width: 863,
    height: 659,
  },
  {
    name: 'a chain of six',
    source: 'flowchart LR\n  A --> B --> C --> D --> E --> F',
    width: 691,
    height: 70,
  },
];

describe('estimateDiagramSize', () => {
  for (const diagram of measured) {
    test(`keeps the proportions of ${diagram.name}`, () => {
      const estimate = estimateDiagramSize(diagram.source);
      const ratio = estimate.width / estimate.height / (diagram.width / diagram.height);
      expect(ratio).toBeGreaterThan(0.75);
      expect(ratio).toBeLessThan(1.34);
      expect(estimate.width / diagram.width).toBeGreaterThan(0.75);
      expect(estimate.width / diagram.width).toBeLessThan(1.34);
    });
  }

  test('uses the size an author states in a comment', () => {
    expect(estimateDiagramSize('%% size: 640x360\nflowchart LR\n  a --> b')).toEqual({width: 640, height: 360});
  });

  test('grows a sequence diagram with its messages and its participants', () => {
    const two = estimateDiagramSize('sequenceDiagram\n  A->>B: hi\n  B-->>A: hello');
    const more = estimateDiagramSize('sequenceDiagram\n  A->>B: hi\n  B-->>A: hello\n  A->>C: hi\n  C-->>A: hello');
    expect(more.height).toBeGreaterThan(two.height);
    expect(more.width).toBeGreaterThan(two.width);
  });

  test('lays the same graph out wide from left to right and tall from top to bottom', () => {
    const wide = estimateDiagramSize('flowchart LR\n  a --> b --> c --> d');
    const tall = estimateDiagramSize('flowchart TD\n  a --> b --> c --> d');
    expect(wide.width).toBeGreaterThan(wide.height);
    expect(tall.height).toBeGreaterThan(tall.width);
  });

  test('reads node shapes, quotes and brackets without taking their text for links', () => {
    const estimate = estimateDiagramSize('flowchart LR\n  a["a -- b --> c"] --> b{"x --> y"}');
    expect(estimate.width).toBeLessThan(600);
  });

  test('returns a 16:9 box for a diagram type it does not model, and for an empty one', () => {
    expect(estimateDiagramSize('pie title Pets\n  "Dogs" : 386')).toEqual({width: 720, height: 405});
    expect(estimateDiagramSize('flowchart LR')).toEqual({width: 720, height: 405});
  });
});
