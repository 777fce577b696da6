import React, { useId, useState } from 'react';
import { parseRunnerAddress, type RunnerAddress } from '@site/src/runtime/backends/local';
import styles from './styles.module.css';

interface Props {
  /** The runner address this tab already knows, if any. */
  known: RunnerAddress | undefined;
  onConnect: (address: RunnerAddress) => void;
}

/** How to run the lab on one's own machine, and the field for the link the lab runner prints. */
export default function RunnerConnect({ known, onConnect }: Props): React.JSX.Element {
  const fieldId = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  return (
    <form
      className={styles.connect}
      aria-label="Run the lab on your machine"
      onSubmit={(event) => {
        event.preventDefault();
        const address = text.trim() === '' ? known : parseRunnerAddress(text);
        if (!address) {
          setProblem('That is not a lab runner link or token: copy the whole link that `npm run labs` printed.');
          return;
        }
        setProblem(null);
        onConnect(address);
      }}>
      <p>
        <strong>Run the lab on your machine.</strong> In a copy of the course, run <code>npm ci</code> once, then{' '}
        <code>npm run labs</code>. It starts the lab runner on 127.0.0.1 and prints a link: open it, or paste it here.
      </p>
      <div className={styles.connectRow}>
        <label htmlFor={fieldId}>Runner link or token</label>
        <input
          id={fieldId}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={text}
          placeholder={known ? `127.0.0.1:${known.port} (known)` : 'http://…#runner=7300&token=…'}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button button--sm button--primary" disabled={text.trim() === '' && !known}>
          Connect
        </button>
      </div>
      {problem && <p className={styles.error} role="alert">{problem}</p>}
    </form>
  );
}
