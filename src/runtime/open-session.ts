/**
 * A lab's session for the page, created and started at once. The chapter's Lab component loads this module when the
 * learner comes to the lab, and the panel's (xterm.js, CodeMirror) when the learner points at "Start lab"; at the
 * click, the lab's machine boots, its files are copied and its servers start, while the panel's code may still load.
 *
 * Where the local runner listens comes from the link the runner printed (taken out of the address bar here) or from
 * the learner, and is kept in this tab's sessionStorage, where the backend factory reads it.
 */
import { LabSession, type BackendFactories } from './session';
import type { LabPageData } from './lab-data';
import { WebContainerBackend, prefetchWebContainerApi } from './backends/webcontainer';
import { LocalBackend, loadRunnerAddress, takeRunnerAddress } from './backends/local';
import { detectSupport } from './support';

/**
 * Fetches ahead what the lab's start will need of its backend, when the learner is about to click: the WebContainer
 * API's code, unless the lab will run on the local runner (its link is in the address, or this tab used it).
 */
export function prepareBackend(page: Pick<Window, 'location' | 'sessionStorage'>, supported = () => detectSupport().supported): void {
  const local = page.location.hash.includes('token=') || loadRunnerAddress(page.sessionStorage) !== undefined;
  if (!local && supported()) prefetchWebContainerApi();
}

/** Creates the lab's session and starts it: on the local runner when the page knows one, else where it can run. */
export function openLabSession(lab: LabPageData, page: Window): LabSession {
  takeRunnerAddress(page);
  const backends: BackendFactories = {
    webcontainer: async () => new WebContainerBackend({ root: lab.id }),
    local: async () => {
      const address = loadRunnerAddress(page.sessionStorage);
      if (!address) throw new Error('To run the lab on your machine, start the lab runner there (npm run labs) and paste the link it prints below.');
      return new LocalBackend({ ...address, lab: lab.id });
    },
  };
  const session = new LabSession({ lab, backends });
  void session.start(loadRunnerAddress(page.sessionStorage) ? 'local' : undefined);
  return session;
}
