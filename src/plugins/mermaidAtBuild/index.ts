/**
 * Draws the site's Mermaid diagrams when the site is built, so that a page ships them as inline SVG, in both colour
 * modes, and no Mermaid JavaScript at all (see drawer.ts for how, and why Mermaid in a headless Chromium).
 *
 * - `remarkMermaidAtBuild`, a remark plugin for the docs, turns a ```mermaid block into the same `<mermaid>` element
 *   that Docusaurus makes of it, with the drawing's key (a hash of what it is drawn from) and size added as
 *   properties. A diagram it cannot draw keeps only its source, and the page draws it.
 * - src/theme/Mermaid puts the drawing in the page. The SVG is in the HTML only, written by the server bundle (which
 *   resolves `@mermaid-at-build/drawing` to drawing.server.ts and reads the kept drawing), and not in the JavaScript:
 *   the browser bundle gets drawing.client.ts, so that a chapter's scripts do not carry its diagrams twice over.
 * - the Docusaurus plugin sets up that alias; after the build it writes each drawing to a file of its own, which a
 *   page reached by a move within the site fetches (publish.ts), says in one line which renderer drew the diagrams,
 *   and closes the browser.
 * The development server leaves every diagram to the page, so that an edit shows at once.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {LoadContext, Plugin} from '@docusaurus/types';
import {DiagramDrawer, type MermaidThemes} from './drawer';
import {drawingsCacheDir} from './kept';
import {publishDrawings} from './publish';

const CACHE_DIR = drawingsCacheDir();

let shared: DiagramDrawer | undefined;

function drawerFor(themes: MermaidThemes): DiagramDrawer {
  shared ??= new DiagramDrawer(themes, CACHE_DIR);
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
        // What Docusaurus's own remark plugin makes of the block, with the drawing's key and size added.
        for (const key of Object.keys(block)) {
          delete block[key as keyof MdastNode];
        }
        Object.assign(block, {
          type: 'mermaidCodeBlock',
          data: {
            hName: 'mermaid',
            hProperties: {value, drawing: drawing.key, size: `${drawing.width}x${drawing.height}`},
          },
        });
      }),
    );
  };
}

export default function mermaidAtBuild(_context: LoadContext): Plugin {
  return {
    name: 'mermaid-at-build',
    configureWebpack(_config, isServer) {
      const side = isServer ? 'drawing.server.ts' : 'drawing.client.ts';
      return {resolve: {alias: {'@mermaid-at-build/drawing': fileURLToPath(new URL(side, import.meta.url))}}};
    },
    async postBuild({outDir}) {
      const {published, missing, leftToPage} = publishDrawings(outDir, CACHE_DIR);
      const files = published > 0 ? ` ${published} written to assets/diagrams/ for pages reached within the site.` : '';
      const lost =
        (missing.length > 0 ? ` ${missing.length} named by a page were not kept: the page draws them itself.` : '') +
        (leftToPage > 0 ? ` ${leftToPage} in the built pages are left to the page to draw.` : '');
      if (shared !== undefined) {
        console.log(`[INFO] ${shared.summary()}${files}${lost}`);
        await shared.close();
      } else if (files || lost) {
        const how = published > 0 ? ' with the drawings Mermaid made in Chromium when it was compiled' : '';
        console.log(`[INFO] Diagrams: every page came from the bundler's cache${how}.${files}${lost}`);
      }
    },
  };
}
