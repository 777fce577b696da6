import React from 'react';

/**
 * Renders the little Markdown that lab steps and hints use: paragraphs, `-` lists, fenced code blocks, and inline
 * `code`, **bold**, *emphasis* and [links](url). It builds React elements, never HTML strings, so a lab author's
 * text cannot inject markup. Anything else shows as plain text.
 */
export default function Markdown({ text }: { text: string }): React.JSX.Element {
  return <>{blocks(text).map((block, i) => renderBlock(block, i))}</>;
}

type Block = { kind: 'p'; text: string } | { kind: 'ul'; items: string[] } | { kind: 'code'; text: string };

function blocks(text: string): Block[] {
  const result: Block[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      result.push({ kind: 'code', text: code.join('\n') });
    } else if (/^\s*[-*] /.test(line)) {
      const last = result[result.length - 1];
      const item = line.replace(/^\s*[-*] /, '');
      if (last?.kind === 'ul') last.items.push(item);
      else result.push({ kind: 'ul', items: [item] });
    } else if (line.trim() === '') {
      result.push({ kind: 'p', text: '' });
    } else {
      const last = result[result.length - 1];
      if (last?.kind === 'p' && last.text !== '') last.text += ` ${line.trim()}`;
      else result.push({ kind: 'p', text: line.trim() });
    }
  }
  return result.filter((b) => b.kind !== 'p' || b.text !== '');
}

function renderBlock(block: Block, key: number): React.JSX.Element {
  if (block.kind === 'code') return <pre key={key}><code>{block.text}</code></pre>;
  if (block.kind === 'ul') return <ul key={key}>{block.items.map((item, i) => <li key={i}>{inline(item)}</li>)}</ul>;
  return <p key={key}>{inline(block.text)}</p>;
}

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

function inline(text: string): React.ReactNode[] {
  const nodes: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) nodes.push(text.slice(last, index));
    const [, code, bold, em, linkText, href] = match;
    const key = nodes.length;
    if (code !== undefined) nodes.push(<code key={key}>{code}</code>);
    else if (bold !== undefined) nodes.push(<strong key={key}>{bold}</strong>);
    else if (em !== undefined) nodes.push(<em key={key}>{em}</em>);
    else if (/^(https?:|\/|#)/.test(href)) nodes.push(<a key={key} href={href}>{linkText}</a>);
    else nodes.push(linkText);
    last = index + match[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}
