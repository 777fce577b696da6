/**
 * A lab's session for the page, created and started at once. The chapter's Lab component loads this module and the
 * panel's (xterm.js, CodeMirror) side by side when the learner clicks "Start lab": the lab's machine boots, its files
 * are copied and its servers start while the panel's code still loads, instead of after it.
 *
 * Where the local runner listens comes from the link the runner printed (taken out of the address bar here) or from
 * the learner, and is kept in this tab's sessionStorage, where the backend factory reads it.
 */
import { LabSession, type BackendFactories } from './session';
import type { LabPageData } from './lab-data';
import { WebContainerBackend } from './backends/webcontainer';
import { LocalBackend, loadRunnerAddress, takeRunnerAddress } from './backends/local';

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
