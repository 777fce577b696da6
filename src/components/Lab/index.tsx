import React, { Suspense, lazy, useEffect, useRef, useState } from 'react';
import type { LabSession } from '@site/src/runtime/session';
import BrowserOnly from '@docusaurus/BrowserOnly';
import useGlobalData from '@docusaurus/useGlobalData';
import { useDocsVersion } from '@docusaurus/plugin-content-docs/client';
import { getLabData, prefetchWorkspace, type GlobalData, type LabPageData } from '@site/src/runtime/lab-data';
import LabTopology from '@site/src/components/LabTopology';
import LabSteps from '@site/src/components/LabSteps';
import { savesData, whenNear } from './warm-up';
import styles from './styles.module.css';

// The panel brings xterm.js, CodeMirror and the lab runtime: hundreds of kilobytes that a reader who does not come to
// the lab never needs. React.lazy inside BrowserOnly keeps them out of the page's first load and out of the server
// render, which cannot run them.
const loadPanel = () => import('@site/src/components/LabPanel');
const LabPanel = lazy(loadPanel);
/** The runtime alone, much smaller than the panel: the click starts the lab with it while the panel still loads. */
const loadSession = () => import('@site/src/runtime/open-session');
const openSession = (lab: LabPageData) => loadSession().then(({ openLabSession }) => openLabSession(lab, window));

/**
 * What the click needs first, fetched ahead (warm-up.ts says when): the session's code and the lab's files. A fetch
 * that fails here is fetched again later (lab-data.ts), and a failure of that shows at the click.
 */
function getReady(lab: LabPageData, { files }: { files: boolean }): void {
  loadSession().catch(() => undefined);
  if (files) prefetchWorkspace(lab);
}

/**
 * The panel (xterm.js) is drawn on the page's one thread, where the session's own steps also run: drawn at the click,
 * it held the lab's start back by a few hundred milliseconds. Its code is downloaded when the learner points at the
 * button (or at the click, at the latest), and it is drawn
 * once the servers are starting (on the local runner, about 0.2 s after the click), or once the start has stalled or
 * failed, and at the latest after this long (a WebContainer's boot takes seconds, and its progress is in the panel).
 */
const PANEL_AT_THE_LATEST_MS = 500;

function untilServersStarting(opening: Promise<LabSession>, latestMs: number): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    let unsubscribe = () => {};
    const done = () => {
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, latestMs);
    opening.then((session) => {
      if (finished) return;
      const check = () => {
        const { phase } = session.getSnapshot().status;
        if (phase === 'starting' || phase === 'ready' || phase === 'error' || phase === 'slow') done();
      };
      unsubscribe = session.subscribe(check);
      check();
    }, done);
  });
}

interface Props {
  /** The lab's folder name under labs/, e.g. `02-load-balancer`. */
  id: string;
}

/**
 * A chapter's live lab. Until the learner starts it, a static panel of the same size lists the servers and the
 * steps, so the page does not jump and reads well without JavaScript.
 */
export default function Lab({ id }: Props): React.JSX.Element {
  // A chapter of a course edition embeds the lab as the edition froze it.
  const lab = getLabData(useGlobalData() as GlobalData, id, useDocsVersion().version);
  const [opened, setOpened] = useState<Promise<LabSession> | null>(null);
  const [panelWanted, setPanelWanted] = useState(false);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (section.current === null) return undefined;
    return whenNear(section.current, () => getReady(lab, { files: !savesData(navigator) }));
  }, [lab]);
  // Pointing at or focusing the button is intent: the panel's code too, the backend's (the WebContainer API), and the
  // files even when saving data.
  const intend = () => {
    getReady(lab, { files: true });
    loadSession().then(({ prepareBackend }) => prepareBackend(window), () => undefined);
    loadPanel().catch(() => undefined);
  };
  const start = () => {
    prefetchWorkspace(lab);
    const opening = openSession(lab);
    // Downloaded and run now, drawn once the servers are starting (below). A failed download shows when it is drawn.
    loadPanel().catch(() => undefined);
    setOpened(opening);
    void untilServersStarting(opening, PANEL_AT_THE_LATEST_MS).then(() => setPanelWanted(true));
  };
  // The session belongs to this component, which opened it: it ends with the page, even when the learner leaves
  // before the panel's code has arrived.
  useEffect(() => () => void opened?.then((session) => session.dispose()), [opened]);
  const placeholder = <LabPreface lab={lab} onStart={opened ? undefined : start} onIntent={opened ? undefined : intend} />;

  return (
    <section ref={section} className={styles.lab} aria-label={`Lab: ${lab.title}`}>
      <header className={styles.header}>
        <h2 className={styles.title}>Lab: {lab.title}</h2>
        <p className={styles.summary}>{lab.summary}</p>
      </header>
      {opened && panelWanted ? (
        <BrowserOnly fallback={placeholder}>
          {() => (
            <Suspense fallback={placeholder}>
              <LabPanel lab={lab} opened={opened} />
            </Suspense>
          )}
        </BrowserOnly>
      ) : (
        placeholder
      )}
    </section>
  );
}

/**
 * The lab before it starts, laid out as the running panel is: a toolbar, the servers, the terminal's place (with the
 * button in it) and the steps, so that starting the lab swaps one for the other without moving the page.
 */
function LabPreface({ lab, onStart, onIntent }: { lab: LabPageData; onStart?: () => void; onIntent?: () => void }): React.JSX.Element {
  const kilobytes = Math.round(lab.workspaceBytes / 1024);
  return (
    <div className={styles.preface}>
      <p className={styles.toolbar}>
        {lab.topology.servers.length} servers, {lab.steps.length} steps. The lab runs in your browser ({kilobytes} KB to
        download), or on your own machine with the lab runner.
      </p>
      <LabTopology servers={lab.topology.servers} state={null} />
      <div className={styles.screen}>
        <button
          type="button"
          className="button button--primary button--lg"
          onClick={onStart}
          onPointerEnter={onIntent}
          onFocus={onIntent}
          disabled={!onStart}>
          {onStart ? 'Start lab' : 'Starting…'}
        </button>
      </div>
      <LabSteps steps={lab.steps} />
    </div>
  );
}
