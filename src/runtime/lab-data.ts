/**
 * What the build gives the page about each lab (plugins/labs), and how the page reads it. The manifest data is
 * Docusaurus global data, so a page renders its lab panel without a request; the workspace (the kit and the lab's
 * files, about a megabyte, a third of it once compressed) is a separate content-hashed JSON file, fetched when the
 * learner comes to the lab (src/components/Lab/warm-up.ts) or starts it.
 *
 * React-free: a component reads the global data with Docusaurus's `useGlobalData()` and passes it to `getLabData`.
 */
import type { EditableFile, LabStep, LabTopology } from './manifest';
import type { LabWorkspace } from './types';

/** The plugin's name, under which Docusaurus keeps its global data. */
export const LABS_PLUGIN_NAME = 'scale-up-labs';

/** Everything the page needs to show a lab before it starts. */
export interface LabPageData {
  id: string;
  title: string;
  summary: string;
  steps: LabStep[];
  editable: EditableFile[];
  topology: LabTopology;
  /** The loopback port of `topology.entry`, from the network table: what the preview shows. */
  previewPort: number;
  /** The workspace file (a LabWorkspace), under the site's base URL: `/assets/labs/02-load-balancer.3f9a1c2b7e.json`. */
  workspaceUrl: string;
  /** The workspace file's size in bytes as a host sends it, compressed with gzip: what starting the lab downloads. */
  workspaceBytes: number;
}

/** The plugin's global data. */
export interface LabsGlobalData {
  labs: Record<string, LabPageData>;
  /** The labs of each course edition, as the edition froze them: edition name -> lab id -> lab. */
  editions?: Record<string, Record<string, LabPageData>>;
}

/** Docusaurus's global data: plugin name -> plugin id -> data, as `useGlobalData()` returns it. */
export type GlobalData = Record<string, Record<string, unknown> | undefined>;

/**
 * The lab with this id, in the page's course edition (`current` for the chapters in docs/); throws, for the author of
 * the page, when no lab folder has that id.
 */
export function getLabData(globalData: GlobalData, id: string, edition = 'current', pluginId = 'default'): LabPageData {
  const data = globalData[LABS_PLUGIN_NAME]?.[pluginId] as LabsGlobalData | undefined;
  if (!data) throw new Error(`No lab data: add the labs plugin (plugins/labs) to the "plugins" of docusaurus.config.ts`);
  const labs = edition === 'current' ? data.labs : data.editions?.[edition];
  if (!labs) {
    throw new Error(`The course edition "${edition}" has no labs: versioned_labs/version-${edition}/ is missing.` +
      ` Cut editions with \`npm run edition:cut\`, which copies the labs with the chapters.`);
  }
  const lab = labs[id];
  if (!lab) {
    const folder = edition === 'current' ? `labs/${id}/` : `versioned_labs/version-${edition}/${id}/`;
    throw new Error(`There is no lab "${id}": the page names a lab whose folder ${folder} does not exist.` +
      ` The labs are: ${Object.keys(labs).join(', ') || 'none'}`);
  }
  return lab;
}

/** Every check of the lab, in the order of its steps. */
export function allChecks(lab: Pick<LabPageData, 'steps'>): { id: string; title: string; step: string }[] {
  return lab.steps.flatMap((step) => step.checks.map((check) => ({ ...check, step: step.id })));
}

/** Downloads started by prefetchWorkspace, by workspace URL, until loadWorkspace takes them. */
const prefetched = new Map<string, Promise<LabWorkspace>>();

/**
 * Starts downloading the lab's workspace at once: the page calls it when the lab comes into view, when the learner
 * points at "Start lab" and at the click, so that the files arrive before the click, or while the lab's machine boots
 * rather than after it. A download that fails is forgotten (the connection dropped while the learner read the
 * chapter): the next call starts another.
 */
export function prefetchWorkspace(lab: Pick<LabPageData, 'id' | 'workspaceUrl'>, fetchFile: typeof fetch = fetch): void {
  if (prefetched.has(lab.workspaceUrl)) return;
  const download = downloadWorkspace(lab, fetchFile);
  // loadWorkspace reports a failure to whoever waits for it
  download.catch(() => {
    if (prefetched.get(lab.workspaceUrl) === download) prefetched.delete(lab.workspaceUrl);
  });
  prefetched.set(lab.workspaceUrl, download);
}

/** The lab's workspace: the prefetched download if there is one, else a new one. */
export function loadWorkspace(lab: Pick<LabPageData, 'id' | 'workspaceUrl'>, fetchFile: typeof fetch = fetch): Promise<LabWorkspace> {
  const download = prefetched.get(lab.workspaceUrl);
  prefetched.delete(lab.workspaceUrl);
  return download ?? downloadWorkspace(lab, fetchFile);
}

/** Fetches the lab's workspace file. Rejects with a message for a person when it cannot. */
async function downloadWorkspace(lab: Pick<LabPageData, 'id' | 'workspaceUrl'>, fetchFile: typeof fetch): Promise<LabWorkspace> {
  let response: Response;
  try {
    response = await fetchFile(lab.workspaceUrl);
  } catch (error) {
    throw new Error(`Could not download the lab's files (${(error as Error).message}): check your connection and start the lab again.`);
  }
  if (!response.ok) {
    throw new Error(`Could not download the lab's files: ${lab.workspaceUrl} answered ${response.status}. Reload the page: the site may have been updated.`);
  }
  const workspace = (await response.json()) as LabWorkspace;
  if (workspace.format !== 1 || workspace.lab !== lab.id || typeof workspace.files !== 'object') {
    throw new Error(`The lab's files at ${lab.workspaceUrl} are not lab ${lab.id}'s: reload the page.`);
  }
  return workspace;
}
