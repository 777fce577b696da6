/**
 * Shows a Mermaid diagram without making the reader pay for Mermaid.
 *
 * A production build draws every diagram it can (src/plugins/mermaidAtBuild) and passes in the drawing's key: the
 * light and the dark drawing are both in the page, as inline SVG, and the theme's CSS shows the one that matches the
 * colour mode, so switching modes draws nothing. The SVG is in the HTML only, never in the page's JavaScript: the
 * server bundle writes it (`drawnMarkup`), the browser's leaves the markup it finds (a production React does not
 * compare `dangerouslySetInnerHTML` when it hydrates; `suppressHydrationWarning` quiets the development one), and a
 * page reached by a move within the site, which has no such HTML, fetches the drawing's file instead. Without a drawing (the development server, a build without a browser, a
 * diagram the build could not draw), Mermaid (about 500 KB of JavaScript, gzipped) is loaded only when the diagram
 * comes near the viewport; until then the page shows a placeholder box of the size the diagram will have (estimated
 * from its source, see diagramSize.ts), and the diagram is drawn into the same box, so nothing on the page moves.
 */
import {lazy, Suspense, useEffect, useRef, useState, type ReactNode, type RefObject} from 'react';
import clsx from 'clsx';
import useBaseUrl from '@docusaurus/useBaseUrl';
import {drawnMarkup} from '@mermaid-at-build/drawing';
import {drawingPath} from '@site/src/plugins/mermaidAtBuild/drawingPath';
import type {Props as OriginalProps} from '@theme/Mermaid';
import {useOverflows} from '@site/src/hooks/useOverflows';
import {estimateDiagramSize, type DiagramSize} from './diagramSize';
import styles from './styles.module.css';

const OriginalMermaid = lazy(() => import('@theme-original/Mermaid'));

/** What the build adds (see src/plugins/mermaidAtBuild): the drawing's key, and the size drawn, `WIDTHxHEIGHT`. */
interface Props extends OriginalProps {
  drawing?: string;
  size?: string;
}

/** How far below (or above) the viewport a diagram starts loading: about a screen's scroll ahead. */
const LOAD_AHEAD = '600px 0px';

/** On a narrow screen a wide diagram keeps this width, and scrolls sideways, rather than shrink past reading. */
const NARROWEST = 560;

export default function Mermaid({value, drawing, size}: Props): ReactNode {
  const drawnSize = parseSize(size);
  if (drawing !== undefined && drawnSize !== undefined) {
    return <BuiltDiagram value={value} drawing={drawing} size={drawnSize} />;
  }
  return <LazyDiagram value={value} />;
}

function BuiltDiagram({value, drawing, size}: OriginalProps & {drawing: string; size: DiagramSize}): ReactNode {
  const light = useRef<HTMLDivElement>(null);
  const dark = useRef<HTMLDivElement>(null);
  const [unavailable, setUnavailable] = useState(false);
  const file = useBaseUrl(`/${drawingPath(drawing)}`);
  useEffect(() => {
    if (light.current === null || dark.current === null || light.current.firstElementChild !== null) {
      return undefined;
    }
    // Reached by a move within the site: the drawing is not in this HTML, so fetch it.
    const abort = new AbortController();
    fetch(file, {signal: abort.signal})
      .then(async (response) => {
        if (!response.ok) {
          throw new Error(`${file}: HTTP ${response.status}`);
        }
        const markup = (await response.json()) as {light?: unknown; dark?: unknown};
        if (typeof markup.light !== 'string' || typeof markup.dark !== 'string') {
          throw new Error(`${file}: not a drawing`);
        }
        light.current!.innerHTML = markup.light;
        dark.current!.innerHTML = markup.dark;
      })
      .catch(() => {
        // No drawing to be had (a build that lost it, or a lost connection): Mermaid draws it from the source.
        if (!abort.signal.aborted) {
          setUnavailable(true);
        }
      });
    return () => abort.abort();
  }, [file]);
  if (unavailable) {
    return <LazyDiagram value={value} />;
  }
  const sized = `${size.width}x${size.height}`;
  return (
    <Frame size={size} data={{'data-drawn-size': sized, 'data-drawing': drawing}}>
      {(['light', 'dark'] as const).map((mode) => (
        <div
          key={mode}
          ref={mode === 'light' ? light : dark}
          className={clsx(styles.drawing, styles[mode])}
          dangerouslySetInnerHTML={{__html: drawnMarkup(drawing, mode)}}
          suppressHydrationWarning
        />
      ))}
    </Frame>
  );
}

function LazyDiagram({value}: OriginalProps): ReactNode {
  const size = estimateDiagramSize(value);
  const box = useRef<HTMLDivElement>(null);
  const near = useNearViewport(box);
  return (
    <Frame size={size} boxRef={box} data={{'data-estimated-size': `${size.width}x${size.height}`}}>
      <div className={`mermaid-placeholder ${styles.placeholder}`} aria-hidden="true">
        Diagram loading…
      </div>
      {near && (
        <Suspense fallback={null}>
          <OriginalMermaid value={value} />
        </Suspense>
      )}
    </Frame>
  );
}

/** A box of the diagram's proportions, at most its natural width, in a region that scrolls sideways if need be. */
function Frame({
  size,
  boxRef,
  data,
  children,
}: {
  size: DiagramSize;
  boxRef?: RefObject<HTMLDivElement | null>;
  data: Record<`data-${string}`, string | undefined>;
  children: ReactNode;
}): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const scrolls = useOverflows(scroller);
  return (
    <div
      ref={scroller}
      className={styles.scroller}
      // A region that scrolls must be reachable with the keyboard.
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? 'group' : undefined}
      aria-label={scrolls ? 'Diagram, scrolls sideways' : undefined}>
      <div
        ref={boxRef}
        className={styles.box}
        style={{
          maxWidth: size.width,
          minWidth: Math.min(size.width, NARROWEST),
          aspectRatio: `${size.width} / ${size.height}`,
        }}
        {...data}>
        {children}
      </div>
    </div>
  );
}

function parseSize(size: string | undefined): DiagramSize | undefined {
  const match = /^(\d+)x(\d+)$/.exec(size ?? '');
  return match ? {width: Number(match[1]), height: Number(match[2])} : undefined;
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
