import React, { Suspense, lazy, useId, useState } from 'react';
import clsx from 'clsx';
import type { LabSession } from '@site/src/runtime/session';
import LabSolution from '@site/src/components/LabSolution';
import type { PanelSnapshot } from '@site/src/runtime/session';
import styles from './styles.module.css';

// CodeMirror is a third of the panel's code and only the Files tab needs it: it loads when that tab first opens,
// so that the terminal is ready sooner.
const LabEditor = lazy(() => import('@site/src/components/LabEditor'));

const TABS = ['Terminal', 'Files', 'Preview', 'Solution'] as const;
type Tab = (typeof TABS)[number];

interface Props {
  session: LabSession;
  snapshot: PanelSnapshot;
  /** The terminal stays mounted while other tabs show, so that its screen and scrollback survive. */
  terminal: React.ReactNode;
}

/** The lab's work area: the terminal, the editable files, the preview of the site, and the solution. */
export default function LabTabs({ session, snapshot, terminal }: Props): React.JSX.Element {
  const id = useId();
  const [tab, setTab] = useState<Tab>('Terminal');
  const onKeyDown = (event: React.KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length];
    setTab(next);
    document.getElementById(`${id}-${next}`)?.focus();
  };

  return (
    <div className={styles.work}>
      <div role="tablist" aria-label="Lab views" className={styles.tabs} onKeyDown={onKeyDown}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`${id}-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`${id}-${name}-panel`}
            tabIndex={tab === name ? 0 : -1}
            className={clsx(styles.tab, tab === name && styles.activeTab)}
            onClick={() => setTab(name)}>
            {name}
          </button>
        ))}
      </div>
      {TABS.map((name) => (
        <div
          key={name}
          id={`${id}-${name}-panel`}
          role="tabpanel"
          aria-labelledby={`${id}-${name}`}
          hidden={tab !== name}
          className={styles.tabPanel}>
          {name === 'Terminal' && terminal}
          {name === 'Files' && tab === 'Files' && <FilesView session={session} snapshot={snapshot} />}
          {name === 'Preview' && tab === 'Preview' && <PreviewView session={session} ready={snapshot.status.phase === 'ready'} />}
          {name === 'Solution' && tab === 'Solution' && <SolutionView session={session} snapshot={snapshot} />}
        </div>
      ))}
    </div>
  );
}

function FilesView({ session, snapshot }: Omit<Props, 'terminal'>): React.JSX.Element {
  const editable = session.lab.editable;
  const [path, setPath] = useState(editable[0]?.file ?? '');
  const pickerId = useId();
  const [saving, setSaving] = useState(false);
  const file = snapshot.files[path];
  const ready = snapshot.status.phase === 'ready';
  const target = editable.find((e) => e.file === path);
  if (!file) return <p>The files appear here once the lab has started.</p>;

  const save = async () => {
    setSaving(true);
    try {
      await session.saveFile(path);
    } finally {
      setSaving(false);
    }
  };
  const unsaved = file.content !== file.saved;
  return (
    <div className={styles.files}>
      <div className={styles.fileBar}>
        <label htmlFor={pickerId}>File</label>
        <select id={pickerId} value={path} onChange={(event) => setPath(event.target.value)}>
          {editable.map((e) => (
            <option key={e.file} value={e.file}>
              {e.file}{snapshot.files[e.file] && snapshot.files[e.file].content !== snapshot.files[e.file].saved ? ' (unsaved)' : ''}
            </option>
          ))}
        </select>
        <button type="button" className="button button--sm button--primary" disabled={!ready || saving} onClick={() => void save()}>
          {saving ? 'Saving…' : `Save and restart ${target?.service ?? 'the service'}`}
        </button>
        {unsaved && <span className={styles.unsaved}>Unsaved changes</span>}
      </div>
      <Suspense fallback={<p>Loading the editor…</p>}>
        <LabEditor
          key={path}
          path={path}
          value={file.content}
          onChange={(content) => session.setFileContent(path, content)}
          onSave={() => void save()}
        />
      </Suspense>
    </div>
  );
}

function PreviewView({ session, ready }: { session: LabSession; ready: boolean }): React.JSX.Element {
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const load = async () => {
    setProblem(null);
    try {
      setUrl(await session.previewUrl());
      setGeneration((g) => g + 1);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <div className={styles.preview}>
      <div className={styles.fileBar}>
        <button type="button" className="button button--sm button--primary" disabled={!ready} onClick={() => void load()}>
          {url ? 'Reload the preview' : 'Show the site'}
        </button>
        <span>The site as a visitor sees it, through <code>{session.lab.topology.entry}</code>.</span>
      </div>
      {problem && <p className={styles.error} role="alert">{problem}</p>}
      {/* allow="cross-origin-isolated": a WebContainer's preview needs it inside an isolated page, as TutorialKit's does. */}
      {url && <iframe key={generation} src={url} title={`The site served through ${session.lab.topology.entry}`} className={styles.frame} allow="cross-origin-isolated" />}
    </div>
  );
}

function SolutionView({ session, snapshot }: Omit<Props, 'terminal'>): React.JSX.Element {
  const ready = snapshot.status.phase === 'ready';
  if (!ready) return <p>The solution appears here once the lab has started.</p>;
  return (
    <LabSolution
      files={session.solutionFiles()}
      onApply={() => void session.applySolution()}
      onUndo={snapshot.solution.applied ? () => void session.undoSolution() : undefined}
    />
  );
}
