import React from 'react';
import clsx from 'clsx';
import { diffLines } from 'diff';
import styles from './styles.module.css';

export interface SolutionFile {
  path: string;
  /** The learner's current text. */
  mine: string;
  /** The solution's text. */
  solution: string;
}

interface Props {
  files: readonly SolutionFile[];
  /** Replaces the learner's files by the solution; absent when there is nothing to apply. */
  onApply?: () => void;
  /** Puts the learner's own files back after applying the solution. */
  onUndo?: () => void;
}

/** The solution as a diff against the learner's files, applied only when the learner asks. */
export default function LabSolution({ files, onApply, onUndo }: Props): React.JSX.Element {
  const changed = files.filter((f) => f.mine !== f.solution);
  return (
    <div className={styles.solution}>
      {changed.length === 0 ? (
        <p>Your files match the solution.</p>
      ) : (
        changed.map((file) => (
          <figure key={file.path} className={styles.file}>
            <figcaption><code>{file.path}</code>: lines starting with − are yours, + the solution&apos;s</figcaption>
            <pre className={styles.diff}>
              {diffLines(file.mine, file.solution).map((part, i) => (
                <span key={i} className={clsx(part.added && styles.added, part.removed && styles.removed)}>
                  {part.added || part.removed ? prefix(part.value, part.added ? '+ ' : '− ') : context(part.value)}
                </span>
              ))}
            </pre>
          </figure>
        ))
      )}
      <div className={styles.actions}>
        {onApply && changed.length > 0 && (
          <button type="button" className="button button--sm button--warning" onClick={onApply}>
            Apply the solution
          </button>
        )}
        {onUndo && (
          <button type="button" className="button button--sm button--secondary" onClick={onUndo}>
            Put my files back
          </button>
        )}
      </div>
    </div>
  );
}

/** Lines around a change: enough to find the place in the file. */
const CONTEXT_LINES = 3;

function lines(text: string): string[] {
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

function prefix(text: string, mark: string): string {
  return lines(text).map((line) => mark + line).join('\n') + '\n';
}

/** Unchanged lines: a few at each end of the run, and how many are left out between them. */
function context(text: string): string {
  const all = lines(text);
  if (all.length <= CONTEXT_LINES * 2 + 1) return prefix(text, '  ');
  const skipped = all.length - CONTEXT_LINES * 2;
  return prefix([...all.slice(0, CONTEXT_LINES), `⋯ ${skipped} unchanged lines`, ...all.slice(-CONTEXT_LINES)].join('\n'), '  ');
}
