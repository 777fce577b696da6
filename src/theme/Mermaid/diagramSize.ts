/**
 * Estimates, from a diagram's Mermaid source alone, the size in pixels that Mermaid will draw it at, so that the
 * page can reserve that box before Mermaid (about 500 KB) has loaded, and nothing moves when it arrives.
 *
 * The estimate counts what drives Mermaid's layout: participants and messages for a sequence diagram; ranks, nodes
 * per rank, shapes, labels and subgraphs for a flowchart or a state diagram. Where it is off, the author states the
 * size in the diagram, as a Mermaid comment: `%% size: 1130x410` (the end-to-end tests print the line to add when a
 * drawn diagram is much smaller than it would be in a box of its own size).
 */

export interface DiagramSize {
  width: number;
  height: number;
}

/** A diagram type this file does not model: a 16:9 box of a typical column's width. */
const FALLBACK: DiagramSize = {width: 720, height: 405};

const CHAR_WIDTH = 8.5; // px per character of a label, at Mermaid's default 16px font
const LINE_HEIGHT = 24;
const NODE_SPACING = 50; // Mermaid's nodeSpacing: between neighbours in one rank
const RANK_SPACING = 50; // Mermaid's rankSpacing: between ranks
const EDGE_SPACING = 20; // between links that pass through a rank
const CLUSTER_PADDING = 40; // around the nodes of a subgraph, both sides together
const CLUSTER_TITLE = 30; // the subgraph's title, above its nodes
const TOP_DOWN_SPREAD = 1.2;

export function estimateDiagramSize(source: string): DiagramSize {
  const stated = /^\s*%%\s*size:\s*(\d+)\s*x\s*(\d+)\s*$/m.exec(source);
  if (stated) {
    return {width: Number(stated[1]), height: Number(stated[2])};
  }
  const lines = meaningfulLines(source);
  const header = lines[0] ?? '';
  if (/^sequenceDiagram\b/.test(header)) {
    return sequenceSize(lines.slice(1));
  }
  const flow = /^(?:flowchart|graph)\s*(TB|TD|BT|LR|RL)?/.exec(header);
  if (flow) {
    return graphSize(lines.slice(1), flow[1] === 'LR' || flow[1] === 'RL', 'flowchart');
  }
  if (/^stateDiagram(?:-v2)?\b/.test(header)) {
    const leftToRight = lines.some((line) => /^direction\s+(LR|RL)$/.test(line));
    return graphSize(lines.slice(1), leftToRight, 'state');
  }
  return FALLBACK;
}

/** The lines that describe the diagram: no comments, front matter, accessibility or styling statements. */
function meaningfulLines(source: string): string[] {
  const withoutFrontMatter = source.replace(/^\s*---\n[\s\S]*?\n---\n/, '');
  return withoutFrontMatter
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('%%'))
    .filter((line) => !/^(accTitle|accDescr|classDef|class|style|linkStyle|click)\b/.test(line));
}

interface Box {
  width: number;
  height: number;
}

function textBox(text: string): Box {
  const lines = text.split(/<br\s*\/?>|\\n/).map((line) => line.trim());
  return {width: Math.max(...lines.map((line) => line.length)) * CHAR_WIDTH, height: lines.length * LINE_HEIGHT};
}

function sequenceSize(lines: string[]): DiagramSize {
  const participants = new Map<string, string>();
  const labels: Array<{from: string; to: string; width: number}> = [];
  let notes = 0;
  let blocks = 0;
  const message = /^([^-\s]+?)\s*(?:-->>|->>|-->|->|--x|-x|--\)|-\))[+-]?\s*([^:\s]+)\s*:(.*)$/;
  for (const line of lines) {
    const declared = /^(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?$/.exec(line);
    const sent = message.exec(line);
    if (declared) {
      participants.set(declared[1], declared[2] ?? declared[1]);
    } else if (sent) {
      const [, from, to, text] = sent;
      labels.push({from, to, width: textBox(text.trim()).width});
      for (const name of [from, to]) {
        if (!participants.has(name)) {
          participants.set(name, name);
        }
      }
    } else if (/^note\b/i.test(line)) {
      notes += 1;
    } else if (/^(loop|alt|opt|par|critical|break|rect)\b/.test(line)) {
      blocks += 1;
    }
  }
  // Each participant is a box at least 150 wide; two neighbours are at least 200 apart, more for a long message.
  const order = [...participants.keys()];
  let width = 100 + 150;
  for (let index = 1; index < order.length; index += 1) {
    const between = labels.filter(({from, to}) => [from, to].sort().join() === [order[index - 1], order[index]].sort().join());
    const gap = Math.max(200, ...between.map((label) => label.width + 40));
    const box = Math.max(150, textBox(participants.get(order[index])!).width + 40);
    width += gap - 150 + box;
  }
  const height = 171 + labels.length * 48 + notes * 50 + blocks * 55;
  return {width: Math.round(width), height: Math.round(height)};
}

interface Edge {
  from: string;
  to: string;
  label?: Box;
}

/**
 * A flowchart or a state diagram, laid out roughly as dagre (Mermaid's layout engine) lays it out: cycles broken,
 * nodes ranked along the flow by their longest path from a source, and, when any link has a label, an extra rank
 * between every two ranks, where the labels sit. The drawing's length along the flow is the sum of the ranks'
 * depths; its breadth is that of the broadest rank.
 */
function graphSize(lines: string[], leftToRight: boolean, kind: 'flowchart' | 'state'): DiagramSize {
  const nodes = new Map<string, Box>();
  const clusterOf = new Map<string, number>(); // node id -> the top-level subgraph it was first named in
  const edges: Edge[] = [];
  let clusters = 0;
  let nesting = 0;
  const addNode = (token: string) => {
    const parsed = parseNode(token, kind);
    if (parsed === undefined) {
      return undefined;
    }
    const box = nodeBox(parsed.label, parsed.shape);
    const known = nodes.get(parsed.id);
    if (known === undefined || known.width * known.height < box.width * box.height) {
      nodes.set(parsed.id, box);
    }
    if (nesting > 0 && !clusterOf.has(parsed.id)) {
      clusterOf.set(parsed.id, clusters);
    }
    return parsed.id;
  };
  for (const line of lines) {
    if (/^(subgraph\b|state\s.*\{$)/.test(line)) {
      clusters += nesting === 0 ? 1 : 0;
      nesting += 1;
      continue;
    }
    if (/^(end|\})$/.test(line)) {
      nesting = Math.max(0, nesting - 1);
      continue;
    }
    if (line.startsWith('direction ')) {
      continue;
    }
    const {groups, labels} = splitChain(line, kind);
    const ids = groups.map((group) => group.map(addNode).filter((id): id is string => id !== undefined));
    for (let step = 1; step < ids.length; step += 1) {
      const label = labels[step - 1] ? textBox(labels[step - 1]) : undefined;
      for (const from of ids[step - 1]) {
        for (const to of ids[step]) {
          edges.push({from, to, label});
        }
      }
    }
  }
  if (nodes.size === 0) {
    return FALLBACK;
  }
  const depthOf = (box: Box) => (leftToRight ? box.width : box.height);
  const breadthOf = (box: Box) => (leftToRight ? box.height : box.width);
  const labelled = edges.some((edge) => edge.label !== undefined);
  const rankOf = ranks([...nodes.keys()], acyclic(edges), labelled ? 2 : 1);
  const rankCount = Math.max(...rankOf.values()) + 1;
  const depth = Array.from({length: rankCount}, () => 0);
  // The breadth of each rank, outside any subgraph (index 0) and inside each subgraph (1, 2, ...).
  const breadth = Array.from({length: clusters + 1}, () => Array.from({length: rankCount}, () => 0));
  const place = (cluster: number, rank: number, box: Box, spacing: number) => {
    depth[rank] = Math.max(depth[rank], depthOf(box));
    const row = breadth[cluster];
    row[rank] += (row[rank] === 0 ? 0 : spacing) + breadthOf(box);
  };
  for (const [id, box] of nodes) {
    place(clusterOf.get(id) ?? 0, rankOf.get(id)!, box, NODE_SPACING);
  }
  for (const edge of edges) {
    const [first, last] = [rankOf.get(edge.from)!, rankOf.get(edge.to)!].sort((a, b) => a - b);
    const middle = first + Math.floor((last - first) / 2);
    const cluster = clusterOf.get(edge.from) === clusterOf.get(edge.to) ? (clusterOf.get(edge.from) ?? 0) : 0;
    for (let rank = first + 1; rank < last; rank += 1) {
      if (edge.label && rank === middle) {
        place(cluster, rank, edge.label, NODE_SPACING);
      } else {
        place(cluster, rank, {width: 0, height: 0}, EDGE_SPACING);
      }
    }
  }
  // A subgraph is a block as broad as its broadest rank, beside whatever else shares its ranks.
  const totalBreadth = breadth[0].slice();
  for (let cluster = 1; cluster <= clusters; cluster += 1) {
    const spanned = breadth[cluster].flatMap((size, rank) => (size > 0 ? [rank] : []));
    const block = Math.max(0, ...breadth[cluster]) + CLUSTER_PADDING + (leftToRight ? CLUSTER_TITLE : 0);
    for (let rank = Math.min(...spanned); rank <= Math.max(...spanned); rank += 1) {
      totalBreadth[rank] += (totalBreadth[rank] === 0 ? 0 : NODE_SPACING) + block;
    }
  }
  const rankSpacing = labelled ? RANK_SPACING / 2 : RANK_SPACING;
  const length =
    depth.reduce((sum, size) => sum + size, 0) +
    rankSpacing * (rankCount - 1) +
    clusters * CLUSTER_PADDING;
  // Measured: dagre spreads the nodes of a top-down drawing about a fifth wider than they would need side by side.
  const [width, height] = leftToRight
    ? [length, Math.max(...totalBreadth)]
    : [Math.max(...totalBreadth) * TOP_DOWN_SPREAD, length];
  return {width: Math.round(width + 16), height: Math.round(height + 16)};
}

/** The box Mermaid draws around a label, by the node's shape: `[]` rectangle, `{}` diamond, `(())` circle, ... */
function nodeBox(label: string, shape: string): Box {
  const text = textBox(label);
  const padded = {width: Math.max(70, text.width + 40), height: text.height + 30};
  switch (shape) {
    case '{{':
      return {width: padded.width + padded.height / 2, height: padded.height};
    case '([':
      return {width: padded.width + padded.height / 2, height: padded.height};
    case '{':
      return {width: padded.width + padded.height, height: padded.width + padded.height};
    case '((':
      return {width: Math.max(padded.width, padded.height), height: Math.max(padded.width, padded.height)};
    case '[(':
      return {width: padded.width, height: padded.height + 20};
    case 'state':
      return {width: Math.max(60, text.width + 20), height: 40};
    case 'start':
      return {width: 14, height: 14};
    default:
      return padded;
  }
}

/** `a[Label]`, `b((Label))`, `c[("Label")]`, `id`: the node's id, its label (the id if none) and its shape. */
function parseNode(token: string, kind: 'flowchart' | 'state'): {id: string; label: string; shape: string} | undefined {
  const text = token.trim().replace(/:::[\w-]+$/, '');
  const match = /^([\w.-]+|\[\*\])\s*(.*)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, id, rest] = match;
  if (kind === 'state') {
    return {id, label: id, shape: id === '[*]' ? 'start' : 'state'};
  }
  const shape = /^(\(\(|\[\(|\(\[|\{\{|\{|\[|\(|>)?/.exec(rest)?.[1] ?? '';
  const label = rest.replace(/^[[({>/\\]+/, '').replace(/[\])}/\\]+$/, '').replace(/^"|"$/g, '');
  return {id, label: label === '' ? id : label, shape};
}

/**
 * Splits `a -- text --> b & c -->|x| d` into node groups ([a], [b, c], [d]) and the label of each link between two
 * groups, or '' (labels[i] joins groups[i] and groups[i + 1]). Brackets and quotes protect their content.
 */
function splitChain(line: string, kind: 'flowchart' | 'state'): {groups: string[][]; labels: string[]} {
  if (kind === 'state') {
    const transition = /^(.+?)\s*-->\s*([^:]+?)\s*(?::(.*))?$/.exec(line);
    if (!transition) {
      return {groups: [[line.replace(/:.*$/, '')]], labels: []};
    }
    return {groups: [[transition[1]], [transition[2]]], labels: [transition[3]?.trim() ?? '']};
  }
  const groups: string[][] = [];
  const labels: string[] = [];
  const link = /^(?:<?(?:--|==|-\.)(?:(?!-->|==>|\.->)[^>\n])*?(?:-->|==>|\.->|---|===|-\.-|--[ox])|<?(?:-{2,}|={2,})[>ox-]?|<?-\.+->?)/;
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && '[({'.includes(char)) {
      depth += 1;
    } else if (!quoted && '])}'.includes(char)) {
      depth = Math.max(0, depth - 1);
    }
    const arrow = depth === 0 && !quoted ? link.exec(line.slice(index)) : null;
    if (!arrow) {
      current += char;
      continue;
    }
    groups.push(current.split('&'));
    current = '';
    index += arrow[0].length - 1;
    const inline = /^(?:--|==|-\.)\s*(.*?)\s*(?:-->|==>|\.->|---|===)$/.exec(arrow[0]);
    const piped = /^\s*\|([^|]*)\|/.exec(line.slice(index + 1));
    if (piped) {
      index += piped[0].length;
    }
    labels.push((piped?.[1] ?? inline?.[1] ?? '').replace(/^"|"$/g, ''));
  }
  groups.push(current.split('&'));
  return {groups, labels};
}

/** The links, with those that close a cycle turned around, as dagre does before it ranks the nodes. */
function acyclic(edges: Edge[]): Edge[] {
  const children = new Map<string, string[]>();
  for (const {from, to} of edges) {
    children.set(from, [...(children.get(from) ?? []), to]);
  }
  const onPath = new Set<string>();
  const done = new Set<string>();
  const backLinks = new Set<string>();
  const visit = (id: string) => {
    onPath.add(id);
    for (const child of children.get(id) ?? []) {
      if (onPath.has(child)) {
        backLinks.add(`${id}\n${child}`);
      } else if (!done.has(child)) {
        visit(child);
      }
    }
    onPath.delete(id);
    done.add(id);
  };
  for (const {from} of edges) {
    if (!done.has(from)) {
      visit(from);
    }
  }
  return edges.map((edge) => (backLinks.has(`${edge.from}\n${edge.to}`) ? {...edge, from: edge.to, to: edge.from} : edge));
}

/** The rank of every node: `step` times its longest distance from a node that nothing links to. */
function ranks(ids: string[], edges: Edge[], step: number): Map<string, number> {
  const rank = new Map<string, number>();
  const rankOf = (id: string): number => {
    const known = rank.get(id);
    if (known !== undefined) {
      return known;
    }
    rank.set(id, 0); // a guard while this node's parents are ranked; the graph has no cycles left
    const parents = edges.filter((edge) => edge.to === id && edge.from !== id).map((edge) => edge.from);
    const value = parents.length === 0 ? 0 : Math.max(...parents.map((parent) => rankOf(parent) + step));
    rank.set(id, value);
    return value;
  };
  for (const id of ids) {
    rankOf(id);
  }
  return rank;
}
