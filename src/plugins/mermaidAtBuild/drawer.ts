/**
 * Draws Mermaid diagrams to SVG while the site is built, with Mermaid itself in a headless Chromium, once for the
 * light theme and once for the dark one, and keeps every drawing in a cache keyed by what it was drawn from.
 *
 * Why Mermaid in a browser rather than a renderer that needs none: the course's 28 chapter diagrams were put side
 * by side, drawn both ways. `beautiful-mermaid` 1.1.3 (pure JavaScript, no DOM; 1 ms to 3 s a diagram) drew
 * `accTitle` and `accDescr` as boxes in the picture, dropped labels (`Nginx<br/>web server` became `nginx`, a state's
 * description became its id), and wrote the labels of links small and over the lines. Mermaid in Chromium draws
 * exactly what the page would draw, with `<title>` and `<desc>` for screen readers, and needs nothing new: Mermaid
 * comes with the theme, Chromium is the one the end-to-end tests use. The price is a browser at build time,
 * launched only for diagrams that are not in the cache yet; where there is none, the diagrams are drawn in the page
 * as before (see src/theme/Mermaid), so a build never fails for want of a browser.
 */
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import type {Browser, Page} from 'playwright-core';
import {chromiumArgs, chromiumMissing, chromiumPath} from '../../../scripts/lib/chromium.mjs';
import {keptDrawing, type Drawing} from './kept';
import {drawingSize, LATER_STATES, roundCoordinates, tidySvg, withStyleSheet} from './svg';

/** The Mermaid theme drawn for each of the site's colour modes. */
export interface MermaidThemes {
  light: string;
  dark: string;
}

/** A drawing and the key it is kept under: a hash of what it was drawn from, so also the name of its public file. */
export interface KeptDrawing extends Drawing {
  key: string;
}

/** Mermaid's SVG, and the part of its style sheet that the drawing uses. */
interface Drawn {
  svg: string;
  css: string;
}

/** Bump when the way a drawing is made changes, so that the cache does not serve drawings made the old way. */
const DRAWING_FORMAT = 4;

/** A browser left idle this long is closed; the next diagram that is not in the cache launches it again. */
const IDLE_MS = 5_000;

const require = createRequire(import.meta.url);

export class DiagramDrawer {
  readonly #themes: MermaidThemes;
  readonly #cacheDir: string;
  readonly #mermaidFile: string;
  readonly #mermaidVersion: string;
  #browser: Promise<Browser | undefined> | undefined;
  readonly #pages = new Map<string, Promise<Page>>();
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #idle: NodeJS.Timeout | undefined;
  /** Why no browser could draw, once that is known. */
  unavailable: string | undefined;
  readonly stats = {drawn: 0, fromCache: 0, failed: [] as string[]};

  constructor(themes: MermaidThemes, cacheDir: string) {
    this.#themes = themes;
    this.#cacheDir = cacheDir;
    const mermaidDir = path.dirname(require.resolve('mermaid/package.json'));
    this.#mermaidFile = path.join(mermaidDir, 'dist', 'mermaid.min.js');
    this.#mermaidVersion = (JSON.parse(readFileSync(path.join(mermaidDir, 'package.json'), 'utf8')) as {version: string})
      .version;
  }

  /** The diagram drawn in both themes, or undefined when it cannot be drawn here (`where` names it in the summary). */
  async draw(source: string, where: string): Promise<KeptDrawing | undefined> {
    const key = this.#key(source, 'drawing');
    const cached = keptDrawing(this.#cacheDir, key);
    if (cached !== undefined) {
      this.stats.fromCache += 1;
      return {...cached, key};
    }
    this.#pending += 1;
    clearTimeout(this.#idle);
    try {
      // One diagram at a time: Mermaid is a singleton in each page, and the build machine has other work to do.
      const drawing = this.#queue.then(() => this.#drawNow(source, where));
      this.#queue = drawing.catch(() => undefined);
      const drawn = await drawing;
      return drawn && {...drawn, key};
    } finally {
      this.#pending -= 1;
      if (this.#pending === 0) {
        this.#idle = setTimeout(() => void this.close(), IDLE_MS);
      }
    }
  }

  /** One line for the build's output: which renderer drew the diagrams, or why they are left to the page. */
  summary(): string {
    const {drawn, fromCache, failed} = this.stats;
    const total = drawn + fromCache;
    if (total === 0 && this.unavailable !== undefined) {
      return `Diagrams: drawn in the page, not at build time (${this.unavailable}).`;
    }
    const left = failed.length > 0 ? `; ${failed.length} left to draw in the page: ${failed.join('; ')}` : '';
    const missing = this.unavailable !== undefined && failed.length > 0 ? ` (${this.unavailable})` : '';
    // The bundler's own cache skips the pages that did not change: they keep the drawings they were built with.
    return (
      `Diagrams: drawn at build time by Mermaid ${this.#mermaidVersion} in Chromium, light and dark: ` +
      `${total} in the pages compiled (${drawn} drawn now, ${fromCache} from the cache)${left}${missing}.`
    );
  }

  async close(): Promise<void> {
    clearTimeout(this.#idle);
    const browser = this.#browser;
    this.#browser = undefined;
    this.#pages.clear();
    await (await browser)?.close().catch(() => undefined);
  }

  async #drawNow(source: string, where: string): Promise<Drawing | undefined> {
    const browser = await this.#launch();
    if (browser === undefined) {
      this.stats.failed.push(`${where}: no browser`);
      return undefined;
    }
    try {
      const id = `mermaid-${this.#key(source, 'id').slice(0, 10)}`;
      const [light, dark] = await Promise.all([
        this.#render(browser, this.#themes.light, `${id}-light`, source),
        this.#render(browser, this.#themes.dark, `${id}-dark`, source),
      ]);
      const lighter = ({svg, css}: Drawn) => tidySvg(roundCoordinates(withStyleSheet(svg, css)));
      const drawing = {light: lighter(light), dark: lighter(dark), ...drawingSize(light.svg)};
      this.#toCache(source, drawing);
      this.stats.drawn += 1;
      return drawing;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.stats.failed.push(`${where}: ${message.split('\n')[0]}`);
      return undefined;
    }
  }

  /**
   * Mermaid's SVG, and the rules of its style sheet that apply to something in it. Mermaid writes the same sheet into
   * every drawing of a kind (rules for error icons, animated links, every shape and arrow it knows): some 50 to 70
   * rules, of which a drawing uses a quarter. The page would hold every one of them in its styles, twice per
   * diagram, and match each element of the page against them. A rule is kept when its selector, without the
   * states an element may enter later (`:hover`, `::before`...), finds something in the drawing; a rule that is
   * not a plain style rule (`@media`, `@keyframes` that a kept rule animates with) and any selector the browser
   * cannot test are kept too. The sheet is written back as Chromium serialises the rules it kept: the same CSS, in
   * Chromium's spelling (a declaration it could not parse would be lost; Mermaid writes none).
   */
  async #render(browser: Browser, theme: string, id: string, source: string): Promise<Drawn> {
    let page = this.#pages.get(theme);
    if (page === undefined) {
      page = this.#openPage(browser, theme);
      this.#pages.set(theme, page);
    }
    return (await page).evaluate(
      async ({id, source, laterStatesSource}) => {
        const mermaid = (globalThis as unknown as {mermaid: {render(id: string, text: string): Promise<{svg: string}>}})
          .mermaid;
        let svg: string;
        try {
          svg = (await mermaid.render(id, source)).svg;
        } finally {
          // Mermaid leaves its scratch element behind when a diagram does not parse.
          document.getElementById(`d${id}`)?.remove();
        }
        const holder = document.createElement('div');
        holder.innerHTML = svg;
        document.body.append(holder);
        try {
          const sheet = holder.querySelector('svg > style');
          if (!(sheet instanceof HTMLStyleElement || sheet instanceof SVGStyleElement) || sheet.sheet === null) {
            return {svg, css: sheet?.textContent ?? ''};
          }
          const laterStates = new RegExp(laterStatesSource, 'g');
          const applies = (selector: string) => {
            try {
              return holder.querySelector(selector.replace(laterStates, '')) !== null;
            } catch {
              return true;
            }
          };
          const rules = Array.from(sheet.sheet.cssRules);
          const used = rules.filter((rule) => !(rule instanceof CSSStyleRule) || applies(rule.selectorText));
          // A @keyframes is kept when a kept rule animates with it.
          const animations = new Set(
            used.flatMap((rule) =>
              rule instanceof CSSStyleRule ? rule.style.animationName.split(',').map((name) => name.trim()) : [],
            ),
          );
          const kept = used.filter((rule) => !(rule instanceof CSSKeyframesRule) || animations.has(rule.name));
          return {svg, css: kept.map((rule) => rule.cssText).join('')};
        } finally {
          holder.remove();
        }
      },
      {id, source, laterStatesSource: LATER_STATES.source},
    );
  }

  async #openPage(browser: Browser, theme: string): Promise<Page> {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({path: this.#mermaidFile});
    // The same configuration as @docusaurus/theme-mermaid gives Mermaid in the page.
    await page.evaluate((theme) => {
      (globalThis as unknown as {mermaid: {initialize(config: object): void}}).mermaid.initialize({
        startOnLoad: false,
        theme,
      });
    }, theme);
    return page;
  }

  #launch(): Promise<Browser | undefined> {
    this.#browser ??= (async () => {
      if (chromiumMissing) {
        this.unavailable = chromiumMissing;
        return undefined;
      }
      try {
        const {chromium} = await import('playwright-core');
        return await chromium.launch({executablePath: chromiumPath, args: chromiumArgs});
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        this.unavailable = `Chromium at ${chromiumPath} did not start: ${message}`;
        return undefined;
      }
    })();
    return this.#browser;
  }

  #key(source: string, kind: string): string {
    const what = JSON.stringify([DRAWING_FORMAT, this.#mermaidVersion, this.#themes, kind, source]);
    return createHash('sha256').update(what).digest('hex');
  }

  #toCache(source: string, drawing: Drawing): void {
    mkdirSync(this.#cacheDir, {recursive: true});
    // Written aside, then renamed: a build stopped halfway leaves no half-written drawing for the next to read.
    const file = path.join(this.#cacheDir, `${this.#key(source, 'drawing')}.json`);
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(drawing));
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
}
