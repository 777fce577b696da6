import React from 'react';
import clsx from 'clsx';
import type { CheckResult } from '@site/src/runtime/types';
import Markdown from './markdown';
import styles from './styles.module.css';

export interface LabStep {
  id: string;
  title: string;
  instructions: string;
  hints: readonly string[];
  checks: readonly { id: string; title: string }[];
}

interface Props {
  steps: readonly LabStep[];
  /** The latest result of each check that has run. */
  results?: Readonly<Record<string, CheckResult | undefined>>;
  /** The checks that have passed at least once: the learner's progress. */
  passed?: ReadonlySet<string>;
  /** The step whose checks are running. */
  running?: string | null;
  /** Runs a step's checks; absent while the lab is not running. */
  onCheck?: (stepId: string) => void;
}

/** The lab's steps: instructions, hints revealed one at a time, and checks ticked as they pass. */
export default function LabSteps({ steps, results = {}, passed = new Set(), running = null, onCheck }: Props): React.JSX.Element {
  return (
    <ol className={styles.steps} aria-label="Lab steps">
      {steps.map((step, index) => {
        const done = step.checks.length > 0 && step.checks.every((c) => passed.has(c.id));
        return (
          <li key={step.id} className={clsx(styles.step, done && styles.done)}>
            <h3 className={styles.title}>
              <span className={styles.number} aria-hidden="true">{done ? '✓' : index + 1}</span>
              {step.title}
              {done && <span className="sr-only"> (done)</span>}
            </h3>
            <div className={styles.instructions}><Markdown text={step.instructions} /></div>
            {step.hints.map((hint, i) => (
              <details key={i} className={styles.hint}>
                <summary>Hint {step.hints.length > 1 ? i + 1 : ''}</summary>
                <Markdown text={hint} />
              </details>
            ))}
            <ul className={styles.checks} aria-label={`Checks for step ${index + 1}`}>
              {step.checks.map((check) => {
                const result = results[check.id];
                const status = result ? (result.ok ? 'passed' : 'failed') : passed.has(check.id) ? 'passed' : 'not run';
                return (
                  <li key={check.id} className={styles[status.replace(' ', '-')]}>
                    <span className={styles.mark} aria-hidden="true">{status === 'passed' ? '✓' : status === 'failed' ? '✗' : '○'}</span>
                    <span>{check.title}</span>
                    <span className="sr-only">: {status}</span>
                    {result && !result.ok && <p className={styles.message}>{result.message}</p>}
                  </li>
                );
              })}
            </ul>
            {step.checks.length > 0 && (
              <button
                type="button"
                className="button button--sm button--primary"
                disabled={!onCheck || running !== null}
                onClick={() => onCheck?.(step.id)}>
                {running === step.id ? 'Checking…' : `Check step ${index + 1}`}
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}
