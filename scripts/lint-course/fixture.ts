/**
 * A small course that every rule passes, for the rules' tests: each test breaks one thing in it and expects the rule
 * to say so, file and line.
 */
import {courseFromFiles, type Course} from './course.mjs';

const FENCE = '```';

export const GOOD_CHAPTER = `---
title: A demo
---

# A demo

## What it is

${FENCE}mermaid
flowchart LR
  accTitle: A balancer and a server
  accDescr: The browser reaches lb-01, which passes the request to web-01.
  client --> lb --> web
${FENCE}

Read [the real thing](#the-real-thing), or [the other chapter](./02-other.mdx#why-it-is-added).

## Try it {#lab}

<Lab id="01-demo" />

### Check your understanding

<KnowledgeCheck
  question="Why?"
  choices={[
    { text: 'Because', correct: true, why: 'That is the reason.' },
    { text: 'Never', why: 'It happens.' },
  ]}
/>

## The real thing

${FENCE}haproxy title="/etc/haproxy/haproxy.cfg" lab="01-demo/solution/lb-01/haproxy.cfg"
global
    maxconn 256
${FENCE}
`;

export const OTHER_CHAPTER = `# Another

## Why it is added

${FENCE}mermaid
flowchart LR
  accTitle: One box
  accDescr: Only one box.
  a
${FENCE}

<Lab id="02-other" />
`;

export const GOOD_FILES: Record<string, string> = {
  'docs/01-demo.mdx': GOOD_CHAPTER,
  'docs/02-other.mdx': OTHER_CHAPTER,
  'docs/index.mdx': '# Welcome\n\nStart with [the demo](./01-demo.mdx#lab).\n',
  'labs/01-demo/lab.json': '{\n  "format": 1,\n  "id": "01-demo"\n}\n',
  'labs/01-demo/solution/lb-01/haproxy.cfg': 'global\n    maxconn 256\n',
  'labs/02-other/lab.json': '{"id": "02-other"}',
};

/**
 * The good course with one change: `from` replaced with `to` in `file` (which must contain it), and `extra` files
 * added or replaced.
 */
export function brokenCourse(file: string, from: string | RegExp, to: string, extra: Record<string, string> = {}): Course {
  const text = GOOD_FILES[file];
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`the fixture ${file} has no ${from}`);
  return courseFromFiles({...GOOD_FILES, [file]: changed, ...extra});
}

/** The good course, with `extra` files added or replaced. */
export function goodCourse(extra: Record<string, string> = {}): Course {
  return courseFromFiles({...GOOD_FILES, ...extra});
}

