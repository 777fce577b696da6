/**
 * The labs plugin. At build (and dev) time, for every lab folder: validates the manifest and its references (a
 * mistake fails the build, naming the file and the field), gives the page the manifest data as global data, and
 * publishes the lab's whole workspace as a static, content-hashed JSON file that the page fetches only when the
 * learner comes to the lab or starts it, so none of it weighs on a page's first load.
 *
 * The workspace is built by labs/lab-files.js, the one module that knows what a workspace holds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { Compiler } from 'webpack';
import { LABS_PLUGIN_NAME, type LabPageData, type LabsGlobalData } from '../../src/runtime/lab-data';
import { LabError, type LabProblem } from '../../src/runtime/manifest';
import type { FileMap, LabWorkspace } from '../../src/runtime/types';
import { entryPort, validateLab } from '../../src/runtime/validate-lab';
import { editionLabsPath, listEditions } from '../../scripts/editions.mjs';

export interface LabsPluginOptions {
  /** The folder holding the labs and the kit; by default `labs` in the site's folder. */
  labsDir?: string;
  /** The module that lists labs and builds workspaces; by default `lab-files.js` in labsDir. */
  labFilesModule?: string;
}

/** The signature of labs/lab-files.js, as its owner documents it. */
interface LabFilesModule {
  listLabs(labsDir: string): string[] | Promise<string[]>;
  labWorkspaceFiles(labDir: string, options?: { solution?: boolean }): FileMap | Promise<FileMap>;
  WORKSPACE_LINKS: Readonly<Record<string, string>>;
}

export interface LabsContent {
  labs: LabPageData[];
  /** The labs of each course edition (see scripts/editions.mjs), from the edition's own copy of the labs. */
  editions: Record<string, LabPageData[]>;
}

/** Where the workspace files are published, under the site's base URL. */
const ASSETS_PATH = 'assets/labs';

export default function labsPlugin(context: LoadContext, options: LabsPluginOptions = {}): Plugin<LabsContent> {
  const labsDir = path.resolve(context.siteDir, options.labsDir ?? 'labs');
  const labFilesModule = path.resolve(labsDir, options.labFilesModule ?? 'lab-files.js');
  // The workspace files are written here, then emitted into the bundle by the client compilation. Going through the
  // disk rather than memory keeps the dev server right when a lab changes and the plugin's content is reloaded.
  const stagingDir = path.join(context.generatedFilesDir, LABS_PLUGIN_NAME, 'workspaces');

  return {
    name: LABS_PLUGIN_NAME,

    async loadContent() {
      rmSync(stagingDir, { recursive: true, force: true });
      mkdirSync(stagingDir, { recursive: true });
      const labs = await publishLabs(labsDir, labFilesModule, context, stagingDir);
      // An edition's labs are its frozen copy, with its own lab-files.js and kit: they build as they were cut.
      const editions: Record<string, LabPageData[]> = {};
      for (const edition of listEditions(context.siteDir)) {
        const editionDir = path.resolve(context.siteDir, editionLabsPath(edition));
        if (existsSync(editionDir)) editions[edition] = await publishLabs(editionDir, path.join(editionDir, 'lab-files.js'), context, stagingDir);
      }
      return { labs, editions };
    },

    contentLoaded({ content, actions }) {
      const byId = (labs: LabPageData[]) => Object.fromEntries(labs.map((lab) => [lab.id, lab]));
      const editions = Object.fromEntries(Object.entries(content.editions).map(([edition, labs]) => [edition, byId(labs)]));
      const data: LabsGlobalData = { labs: byId(content.labs), editions };
      actions.setGlobalData(data);
    },

    configureWebpack(_config, isServer) {
      return isServer ? {} : { plugins: [{ apply: (compiler: Compiler) => emitWorkspaces(compiler, stagingDir) }] };
    },

    getPathsToWatch() {
      return [path.join(labsDir, '**', '*'), path.join(context.siteDir, editionLabsPath('*'), '**', '*')];
    },
  };
}

/** Validates and stages every lab of a labs folder; fails with every problem of every lab at once. */
async function publishLabs(labsDir: string, labFilesModule: string, context: LoadContext, stagingDir: string): Promise<LabPageData[]> {
  const labFiles = (await import(pathToFileURL(labFilesModule).href)) as LabFilesModule;
  const labs: LabPageData[] = [];
  const problems: LabProblem[] = [];
  for (const name of await labFiles.listLabs(labsDir)) {
    try {
      labs.push(await publishLab(path.resolve(labsDir, name), labFiles, context, stagingDir));
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) {
    throw new Error(`The labs have ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; fix them and build again:\n` +
      new LabError(problems).message);
  }
  return labs;
}

/** Validates one lab, stages its workspace file and returns what the page needs to know about it. */
async function publishLab(labDir: string, labFiles: LabFilesModule, context: LoadContext, stagingDir: string): Promise<LabPageData> {
  const { manifest, network } = validateLab(labDir, { root: context.siteDir, kitDir: path.join(labDir, '..', 'kit') });
  const files = await labFiles.labWorkspaceFiles(labDir);
  const solved = await labFiles.labWorkspaceFiles(labDir, { solution: true });
  const workspace: LabWorkspace = {
    format: 1, lab: manifest.id, files, links: { ...labFiles.WORKSPACE_LINKS }, solution: changedFiles(files, solved),
  };
  const json = JSON.stringify(workspace);
  const name = `${manifest.id}.${createHash('sha256').update(json).digest('hex').slice(0, 10)}.json`;
  writeFileSync(path.join(stagingDir, name), json);
  return {
    id: manifest.id,
    title: manifest.title,
    summary: manifest.summary,
    steps: manifest.steps,
    editable: manifest.editable,
    topology: manifest.topology,
    previewPort: entryPort(manifest, network),
    workspaceUrl: `${context.baseUrl}${ASSETS_PATH}/${name}`,
    workspaceBytes: gzipSync(json).length,
  };
}

/** The files of `after` that are new or different from `before`: the solution overlay as the page applies it. */
export function changedFiles(before: FileMap, after: FileMap): FileMap {
  return Object.fromEntries(Object.entries(after).filter(([file, content]) => before[file] !== content));
}

/** Adds the staged workspace files to the client bundle's output, with Webpack and with Rspack alike. */
function emitWorkspaces(compiler: Compiler, stagingDir: string): void {
  const { Compilation, sources } = compiler.webpack;
  compiler.hooks.thisCompilation.tap(LABS_PLUGIN_NAME, (compilation) => {
    compilation.hooks.processAssets.tap({ name: LABS_PLUGIN_NAME, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
      if (!existsSync(stagingDir)) return;
      for (const name of readdirSync(stagingDir)) {
        const asset = `${ASSETS_PATH}/${name}`;
        if (!compilation.getAsset(asset)) compilation.emitAsset(asset, new sources.RawSource(readFileSync(path.join(stagingDir, name))));
      }
    });
  });
}
