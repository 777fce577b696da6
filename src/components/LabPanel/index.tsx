import React, { use, useRef } from 'react';
import clsx from 'clsx';
import type { LabSession } from '@site/src/runtime/session';
import type { LabPageData } from '@site/src/runtime/lab-data';
import type { BackendKind } from '@site/src/runtime/types';
import { loadRunnerAddress, saveRunnerAddress, type RunnerAddress } from '@site/src/runtime/backends/local';
import LabTopology, { type ServerAction } from '@site/src/components/LabTopology';
import LabSteps from '@site/src/components/LabSteps';
import LabTerminal from '@site/src/components/LabTerminal';
import RunnerConnect from './RunnerConnect';
import LabTabs from './LabTabs';
import RealStack from './RealStack';
import { useFocusMode } from './focus-mode';
import { useLiveState, usePanelState } from './use-session';
import styles from './styles.module.css';

interface Props {
  lab: LabPageData;
  /** The lab's session, created and started when the learner clicked "Start lab" (runtime/open-session.ts); the Lab
   *  component that opened it lets it go. */
  opened: Promise<LabSession>;
}

/**
 * The running lab: the servers, then the terminal, files, preview and solution, then the steps. In focus mode it
 * fills the window, with the steps in a column beside the rest.
 */
export default function LabPanel({ lab, opened }: Props): React.JSX.Element {
  const session = use(opened);
  const snapshot = usePanelState(session);
  const { status } = snapshot;
  const ready = status.phase === 'ready';
  const panelRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const [focused, setFocused] = useFocusMode({ panel: panelRef, entry: titleRef, toggle: toggleRef });

  const startOn = (kind: BackendKind) => void session.start(kind);
  const connect = (address: RunnerAddress) => {
    saveRunnerAddress(window.sessionStorage, address);
    startOn('local');
  };
  const act = (server: string, action: ServerAction) => {
    const run = { kill: session.killServer, stop: session.stopServer, start: session.startServer }[action];
    void run.call(session, server);
  };
  const runningStep = lab.steps.find((step) => step.checks.some((c) => snapshot.checks.running.includes(c.id)))?.id ?? null;
  const other: BackendKind = status.backend === 'local' ? 'webcontainer' : 'local';
  const slow = status.phase === 'slow';
  // Where the lab can run instead, or the runner's link again: when the start failed or is slow, not while the lab
  // starts on a runner that answered (the form would come and go in the learner's face, on every start).
  const showConnect = status.phase === 'error' || slow;

  return (
    <div ref={panelRef} className={clsx(styles.panel, focused && styles.focused)}>
      <div className={styles.toolbar}>
        {/* The chapter's own heading is behind the panel in focus mode; this one says where the learner is. */}
        {focused && (
          <h2 ref={titleRef} tabIndex={-1} className={styles.focusTitle}>
            Lab: {lab.title}
          </h2>
        )}
        <p className={clsx(styles.status, status.phase === 'error' && styles.error)} role="status">
          {status.message}
        </p>
        <div className={styles.buttons}>
          {slow && (
            <button type="button" className="button button--sm button--primary" onClick={() => session.keepWaiting()}>
              Keep waiting
            </button>
          )}
          <button type="button" className="button button--sm button--secondary" onClick={() => startOn(other)}>
            {other === 'local' ? 'Run on my machine' : 'Run in my browser'}
          </button>
          <button type="button" className="button button--sm button--secondary" disabled={!ready} onClick={() => void session.reset()}>
            Reset files
          </button>
          <button type="button" className="button button--sm button--secondary" disabled={!ready} onClick={() => download(session)}>
            Download files
          </button>
          <button
            ref={toggleRef}
            type="button"
            className={clsx('button button--sm', focused ? 'button--primary' : 'button--outline button--primary')}
            aria-pressed={focused}
            onClick={() => setFocused(!focused)}>
            {/* A toggle button keeps its name; aria-pressed says whether it is on (WAI-ARIA's button pattern). */}
            Focus mode
          </button>
        </div>
      </div>
      {showConnect && <RunnerConnect known={loadRunnerAddress(window.sessionStorage)} onConnect={connect} />}
      {snapshot.action.last && (
        <p className={styles.action} aria-live="polite">
          <code>{snapshot.action.last.command}</code>{' '}
          {snapshot.action.last.code === 0 ? 'done.' : `failed: ${snapshot.action.last.output.trim().split('\n').slice(-1)[0]}`}
        </p>
      )}
      <div className={styles.body}>
        <div className={styles.workColumn}>
          <div className={styles.topologyBox}>
            <LiveTopology session={session} servers={lab.topology.servers} onAction={ready ? act : undefined} />
          </div>
          <LabTabs
            session={session}
            snapshot={snapshot}
            terminal={
              <LabTerminal
                label={`Lab terminal for ${lab.title}`}
                onOpen={(terminal) => {
                  const detach = session.attachTerminal(terminal);
                  const stopResizing = terminal.onResize(({ cols, rows }) => session.resize(cols, rows));
                  return () => {
                    stopResizing();
                    detach();
                  };
                }}
              />
            }
          />
        </div>
        <div className={styles.stepsColumn}>
          <LabSteps
            steps={lab.steps}
            results={snapshot.checks.results}
            passed={snapshot.progress.passed}
            running={runningStep}
            onCheck={ready ? (stepId) => void session.runChecks(lab.steps.find((s) => s.id === stepId)?.checks.map((c) => c.id)) : undefined}
          />
        </div>
      </div>
      <RealStack session={session} ready={ready} />
    </div>
  );
}

/** The topology, with the lab's live state: the one part of the panel that changes while the servers start. */
function LiveTopology({ session, ...props }: { session: LabSession } & Omit<React.ComponentProps<typeof LabTopology>, 'state' | 'traffic'>): React.JSX.Element {
  const { lab, traffic } = useLiveState(session);
  return <LabTopology {...props} state={lab} traffic={traffic} />;
}

function download(session: LabSession): void {
  const file = session.download();
  const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
