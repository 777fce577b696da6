import React, { useId, useState } from 'react';
import clsx from 'clsx';
import styles from './styles.module.css';

export interface Choice {
  text: string;
  /** Whether this choice is right. Exactly one choice of a question is. */
  correct?: boolean;
  /** Why this choice is right or wrong: shown after the learner answers. */
  why: string;
}

interface Props {
  question: string;
  choices: readonly Choice[];
}

/** A multiple-choice question that explains every answer, right or wrong. Works without JavaScript as a plain list. */
export default function KnowledgeCheck({ question, choices }: Props): React.JSX.Element {
  const name = useId();
  const [picked, setPicked] = useState<number | null>(null);
  const [answered, setAnswered] = useState<number | null>(null);
  const result = answered === null ? null : choices[answered];

  return (
    <form
      className={styles.check}
      aria-label={`Knowledge check: ${question}`}
      onSubmit={(event) => {
        event.preventDefault();
        setAnswered(picked);
      }}>
      <fieldset>
        <legend className={styles.question}>{question}</legend>
        {choices.map((choice, i) => (
          <label
            key={i}
            className={clsx(styles.choice, answered === i && (choice.correct ? styles.right : styles.wrong))}>
            <input
              type="radio"
              name={name}
              value={i}
              checked={picked === i}
              onChange={() => { setPicked(i); setAnswered(null); }}
            />
            {choice.text}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button button--sm button--primary" disabled={picked === null}>
        Check my answer
      </button>
      <p className={styles.feedback} role="status">
        {result && (
          <>
            <strong>{result.correct ? 'Right.' : 'Not quite.'}</strong> {result.why}
          </>
        )}
      </p>
    </form>
  );
}
