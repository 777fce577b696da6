import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {keptDrawing} from './kept';
import {drawingPath} from './drawingPath';
import {publishDrawings} from './publish';

const KEPT = 'a'.repeat(64);
const LOST = 'b'.repeat(64);
let scratch = '';

afterEach(() => rmSync(scratch, {recursive: true, force: true}));

test('writes a file for every drawing a built page names, once, lists those the cache lost, and counts the rest', () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'publish-drawings-'));
  const [outDir, cacheDir] = [path.join(scratch, 'build'), path.join(scratch, 'cache')];
  mkdirSync(path.join(outDir, 'chapter'), {recursive: true});
  mkdirSync(cacheDir);
  writeFileSync(path.join(cacheDir, `${KEPT}.json`), JSON.stringify({light: '<svg>L</svg>', dark: '<svg>D</svg>', width: 4, height: 3}));
  // Minified HTML drops the quotes around an attribute's value; a page may name the same drawing twice.
  writeFileSync(path.join(outDir, 'index.html'), `<div data-drawing=${KEPT}><div></div></div>`);
  writeFileSync(
    path.join(outDir, 'chapter', 'index.html'),
    `<div data-drawing="${KEPT}"></div><div data-drawing=${LOST}></div><div data-estimated-size="400x300"></div>`,
  );
  writeFileSync(path.join(outDir, 'chapter', 'notes.txt'), `data-drawing=${'c'.repeat(64)}`);

  expect(publishDrawings(outDir, cacheDir)).toEqual({published: 1, missing: [LOST], leftToPage: 1});
  expect(readdirSync(path.join(outDir, 'assets', 'diagrams'))).toEqual([`${KEPT}.json`]);
  expect(JSON.parse(readFileSync(path.join(outDir, drawingPath(KEPT)), 'utf8'))).toEqual({
    light: '<svg>L</svg>',
    dark: '<svg>D</svg>',
  });
});

test('a key that is not a hash, or a kept file that is cut short, gives no drawing rather than an error', () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kept-drawings-'));
  writeFileSync(path.join(scratch, `${KEPT}.json`), '{"light": "<svg>');
  writeFileSync(path.join(scratch, 'x.json'), JSON.stringify({light: '<svg/>', dark: '<svg/>'}));
  expect(keptDrawing(scratch, KEPT)).toBeUndefined();
  expect(keptDrawing(scratch, 'x')).toBeUndefined();
  expect(keptDrawing(scratch, `../${path.basename(scratch)}/x`)).toBeUndefined();
});
