/**
 * Wraps the theme's Mermaid diagram so that Mermaid (about 500 KB of JavaScript, gzipped) is not part of a chapter's
 * first load. Until a diagram comes near the viewport, the page shows a placeholder box of the size the diagram will
 * have (estimated from its source, see diagramSize.ts); then the original component and Mermaid load, and the
 * diagram is drawn into the same box, scaled to fit it, so nothing on the page moves.
 */
import {lazy, Suspense, useEffect, useRef, useState, type ReactNode, type RefObject} from 'react';
import type {Props} from '@theme/Mermaid';
import {useOverflows} from '@site/src/hooks/useOverflows';
import {estimateDiagramSize} from './diagramSize';
import styles from './styles.module.css';

const OriginalMermaid = lazy(() => import('@theme-original/Mermaid'));

/** How far below (or above) the viewport a diagram starts loading: about a screen's scroll ahead. */
const LOAD_AHEAD = '600px 0px';

/** On a narrow screen a wide diagram keeps this width, and scrolls sideways, rather than shrink past reading. */
const NARROWEST = 560;

export default function Mermaid({value}: Props): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const near = useNearViewport(box);
  const scrolls = useOverflows(scroller);
  const size = estimateDiagramSize(value);
  return (
    <div
      ref={scroller}
      className={styles.scroller}
      // A region that scrolls must be reachable with the keyboard.
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? 'group' : undefined}
      aria-label={scrolls ? 'Diagram, scrolls sideways' : undefined}>
      <div
        ref={box}
        className={styles.box}
        style={{
          maxWidth: size.width,
          minWidth: Math.min(size.width, NARROWEST),
          aspectRatio: `${size.width} / ${size.height}`,
        }}
        data-estimated-size={`${size.width}x${size.height}`}>
        <div className={`mermaid-placeholder ${styles.placeholder}`} aria-hidden="true">
          Diagram loading…
        </div>
        {near && (
          <Suspense fallback={null}>
            <OriginalMermaid value={value} />
          </Suspense>
        )}
      </div>
    </div>
  );
}

/** True once the element has come within LOAD_AHEAD of the viewport, or the page is about to be printed. */
function useNearViewport(element: RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const target = element.current;
    if (near || target === null) {
      return undefined;
    }
    const show = () => setNear(true);
    window.addEventListener('beforeprint', show);
    if (typeof IntersectionObserver === 'undefined') {
      show();
      return () => window.removeEventListener('beforeprint', show);
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          show();
        }
      },
      {rootMargin: LOAD_AHEAD},
    );
    observer.observe(target);
    return () => {
      observer.disconnect();
      window.removeEventListener('beforeprint', show);
    };
  }, [element, near]);
  return near;
}
