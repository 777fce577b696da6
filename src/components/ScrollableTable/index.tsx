/**
 * A Markdown table in a box that scrolls sideways when the table is wider than the page, and that the keyboard can
 * then reach and scroll (WCAG: a scrollable region must be focusable). Registered for `table` in MDXComponents.
 */
import {useRef, type ComponentProps, type ReactNode} from 'react';
import {useOverflows} from '@site/src/hooks/useOverflows';
import styles from './styles.module.css';

export default function ScrollableTable(props: ComponentProps<'table'>): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const scrolls = useOverflows(box);
  return (
    <div
      ref={box}
      className={styles.box}
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? 'region' : undefined}
      aria-label={scrolls ? 'Table, scrolls sideways' : undefined}>
      <table {...props} />
    </div>
  );
}
