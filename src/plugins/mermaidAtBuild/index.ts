/**
 * Draws the site's Mermaid diagrams when the site is built, so that a page ships them as inline SVG, in both colour
 * modes, and no Mermaid JavaScript at all (see drawer.ts for how, and why Mermaid in a headless Chromium).
 *
 * Two halves, sharing one drawer:
 * - `remarkMermaidAtBuild`, a remark plugin for the docs, turns a ```mermaid block into the same `<mermaid>` element
 *   that Docusaurus makes of it, with the drawings added as properties (`light`, `dark`, `size`), which
 *   src/theme/Mermaid shows as they are. A diagram it cannot draw keeps only its source, and the page draws it.
 * - the Docusaurus plugin says in one line, after the build, which renderer drew the diagrams, and closes the browser.
 * The development server leaves every diagram to the page, so that an edit shows at once.
 */
import {createRequire} from 'node:module';
import path from 'node:path';
import type {LoadContext, Plugin} from '@docusaurus/types';
import {DiagramDrawer, type MermaidThemes} from './drawer';

/**
 * Drawings, by content hash, kept between builds: an unchanged diagram does not launch the browser again. The cache
 * is in the node_modules that Mermaid comes from, so that the scratch copies of the site that tests build (which find
 * node_modules in the checkout above them) share the checkout's drawings.
 */
const CACHE_DIR = path.join(
  path.dirname(path.dirname(createRequire(path.join(process.cwd(), 'package.json')).resolve('mermaid/package.json'))),
  '.cache',
  'mermaid-at-build',
);

let shared: DiagramDrawer | undefined;

function drawerFor(themes: MermaidThemes): DiagramDrawer {
  shared ??= new DiagramDrawer(themes, path.resolve(CACHE_DIR));
  return shared;
}

interface MdastNode {
  type: string;
  lang?: string | null;
  value?: string;
  position?: {start: {line: number}};
  children?: MdastNode[];
  data?: unknown;
}

export function remarkMermaidAtBuild(options: {themes: MermaidThemes}) {
  return async (root: MdastNode, file: {path?: string}) => {
    if (process.env.NODE_ENV !== 'production') {
      return;
    }
    const blocks: MdastNode[] = [];
    const walk = (node: MdastNode) => {
      if (node.type === 'code' && node.lang === 'mermaid') {
        blocks.push(node);
      }
      node.children?.forEach(walk);
    };
    walk(root);
    const drawer = drawerFor(options.themes);
    const source = path.relative(process.cwd(), file.path ?? 'a page');
    await Promise.all(
      blocks.map(async (block) => {
        const value = block.value ?? '';
        const drawing = await drawer.draw(value, `${source}:${block.position?.start.line ?? '?'}`);
        if (drawing === undefined) {
          return;
        }
        // What Docusaurus's own remark plugin makes of the block, with the drawings added.
        for (const key of Object.keys(block)) {
          delete block[key as keyof MdastNode];
        }
        Object.assign(block, {
          type: 'mermaidCodeBlock',
          data: {
            hName: 'mermaid',
            hProperties: {value, light: drawing.light, dark: drawing.dark, size: `${drawing.width}x${drawing.height}`},
          },
        });
      }),
    );
  };
}

export default function mermaidAtBuild(_context: LoadContext): Plugin {
  return {
    name: 'mermaid-at-build',
    async postBuild() {
      if (shared === undefined) {
        return;
      }
      console.log(`[INFO] ${shared.summary()}`);
      await shared.close();
    },
  };
}
