/** How tall a code block will be, before the browser has laid it out (see index.tsx). */
import type {ReactNode} from 'react';

/**
 * A code line's height in the theme (--ifm-pre-line-height 1.45 at --ifm-code-font-size 95%), the block's padding
 * above and below (--ifm-pre-padding) and its margin below (--ifm-leading), in the text's em.
 */
const LINE_EM = 1.45 * 0.95;
const FRAME_EM = 2 + 1.25;
/** A title bar above the code. */
const TITLE_EM = 2.6;

/**
 * How tall the block will be, for the browser to reserve while it has not laid the block out yet (content-visibility
 * in styles.module.css): from its lines when it is plain code, a few lines' worth otherwise. Once laid out, the
 * browser keeps the real height (`auto`).
 */
export function estimatedHeightEm(children: ReactNode, {title, metastring}: {title?: ReactNode; metastring?: string}): number {
  const lines = typeof children === 'string' ? children.replace(/\n$/, '').split('\n').length : 5;
  const titled = title !== undefined || /\btitle=/.test(metastring ?? '');
  return Math.round((lines * LINE_EM + FRAME_EM + (titled ? TITLE_EM : 0)) * 100) / 100;
}
