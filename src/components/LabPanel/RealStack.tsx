import React, { useId, useState } from 'react';
import clsx from 'clsx';
import type { LabSession } from '@site/src/runtime/session';
import styles from './RealStack.module.css';

interface Props {
  session: LabSession;
  /** The lab runs: `lab export` needs its workspace. */
  ready: boolean;
}

type Outcome = { kind: 'idle' | 'busy' } | { kind: 'saved' | 'failed'; message: string };

/**
 * "Run it for real": the lab with the learner's saved files, as an archive that runs them on the real programs,
 * with Docker Compose or in network namespaces on a Linux machine (`lab export` makes it; its README says how).
 */
export default function RealStack({ session, ready }: Props): React.JSX.Element {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const about = useId();
  const run = async () => {
    setOutcome({ kind: 'busy' });
    try {
      const file = await session.exportRealStack();
      save(file.fileName, file.mimeType, file.bytes);
      const broken = file.problems.map((p) => p.file);
      setOutcome({
        kind: 'saved',
        message: `Saved ${file.fileName}. Open its README.md to start it.` +
          (broken.length > 0 ? ` The real programs will refuse ${[...new Set(broken)].join(', ')}: the README says why.` : ''),
      });
    } catch (error) {
      setOutcome({ kind: 'failed', message: (error as Error).message });
    }
  };
  return (
    <div className={styles.realStack}>
      <button type="button" className="button button--sm button--outline button--primary" disabled={!ready || outcome.kind === 'busy'}
        aria-describedby={about} onClick={() => void run()}>
        {outcome.kind === 'busy' ? 'Exporting…' : 'Run it for real'}
      </button>
      <p id={about} className={styles.about}>
        Your files, on the real HAProxy, nginx, keepalived and MariaDB: one archive with a Docker Compose file, and a
        script that builds this lab's network on a Linux machine. Chapter 7 shows both.
      </p>
      {(outcome.kind === 'saved' || outcome.kind === 'failed') && (
        <p className={clsx(styles.about, outcome.kind === 'failed' && styles.failed)} role="status">{outcome.message}</p>
      )}
    </div>
  );
}

function save(fileName: string, mimeType: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
