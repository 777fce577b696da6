/**
 * "Fork this chapter": for every chapter (a doc whose file name starts with its number, `02-load-balancer.mdx`), in
 * the course and in each edition, the build writes a zip of the chapter's file and its lab's folder, at their paths
 * in the repository, into the site's output (/downloads/02-load-balancer.zip; an edition's under
 * /downloads/<edition>/). Unzipped at the root of a fork, it puts the chapter and its lab in place.
 * The page (src/theme/ForkChapter) reads, as global data, where the files are in the repository and the zip's address.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { LoadedContent as DocsContent } from '@docusaurus/plugin-content-docs';
import type { Compiler } from 'webpack';
import { editionLabsPath } from '../../scripts/editions.mjs';
import { resolveSite } from '../../site.config.mjs';
import { zip, type ZipEntry } from './zip';

export const FORK_PLUGIN_NAME = 'scale-up-fork';

/** Where the links lead: the repository and branch of site.config.mjs (or the SITE_* variables), as "Edit this page". */
interface Repository {
  repositoryUrl: string;
  branch: string;
}

/** What the page shows under one chapter. */
export interface ForkChapterData {
  /** The chapter's file in the repository: `docs/02-load-balancer.mdx`. */
  file: string;
  fileUrl: string;
  /** The lab the chapter embeds (`<Lab id="...">`), when it has one. */
  lab?: { id: string; folder: string; folderUrl: string };
  zipUrl: string;
  zipName: string;
  zipBytes: number;
}

/** The plugin's global data: a doc's `source` (`@site/docs/02-load-balancer.mdx`) -> what its page shows. */
export interface ForkGlobalData {
  chapters: Record<string, ForkChapterData>;
}

const CHAPTER_FILE = /^\d\d-[a-z0-9-]+\.mdx?$/;
const LAB_ELEMENT = /<Lab\s+id=["']([^"']+)["']/;
const DOWNLOADS_PATH = 'downloads';

export default function forkPlugin(context: LoadContext): Plugin {
  const repository: Repository = resolveSite();
  const stagingDir = path.join(context.generatedFilesDir, FORK_PLUGIN_NAME, DOWNLOADS_PATH);
  return {
    name: FORK_PLUGIN_NAME,

    async allContentLoaded({ allContent, actions }) {
      const docs = allContent['docusaurus-plugin-content-docs']?.default as DocsContent | undefined;
      rmSync(stagingDir, { recursive: true, force: true });
      const chapters: Record<string, ForkChapterData> = {};
      for (const version of docs?.loadedVersions ?? []) {
        for (const doc of version.docs) {
          const file = doc.source.replace(/^@site\//, '');
          if (!CHAPTER_FILE.test(path.basename(file))) continue;
          chapters[doc.source] = stageChapter(file, version.versionName, context, repository, stagingDir);
        }
      }
      const data: ForkGlobalData = { chapters };
      actions.setGlobalData(data);
    },

    configureWebpack(_config, isServer) {
      return isServer ? {} : { plugins: [{ apply: (compiler: Compiler) => emitDownloads(compiler, stagingDir) }] };
    },
  };
}

/** Writes one chapter's zip into the staging folder and returns what its page shows. */
function stageChapter(file: string, edition: string, context: LoadContext, repository: Repository, stagingDir: string): ForkChapterData {
  const source = readFileSync(path.join(context.siteDir, file));
  const labId = LAB_ELEMENT.exec(source.toString('utf8'))?.[1];
  const folder = labId && `${editionLabsPath(edition)}/${labId}`;
  const hasLab = folder && existsSync(path.join(context.siteDir, folder));
  const entries: ZipEntry[] = [{ path: file, content: source }];
  if (hasLab) entries.push(...filesUnder(context.siteDir, folder));

  const zipName = path.basename(file).replace(/\.mdx?$/, '.zip');
  const zipPath = edition === 'current' ? zipName : `${edition}/${zipName}`;
  const archive = zip(entries);
  mkdirSync(path.dirname(path.join(stagingDir, zipPath)), { recursive: true });
  writeFileSync(path.join(stagingDir, zipPath), archive);

  const at = (kind: 'blob' | 'tree', where: string) => `${repository.repositoryUrl}/${kind}/${repository.branch}/${where}`;
  return {
    file,
    fileUrl: at('blob', file),
    lab: hasLab ? { id: labId, folder: `${folder}/`, folderUrl: at('tree', folder) } : undefined,
    zipUrl: `${context.baseUrl}${DOWNLOADS_PATH}/${zipPath}`,
    zipName,
    zipBytes: archive.length,
  };
}

/** Every file under `folder` (relative to `root`), as zip entries at their paths from `root`, sorted. */
export function filesUnder(root: string, folder: string): ZipEntry[] {
  return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
    .map((file) => ({ path: file, content: readFileSync(path.join(root, file)) }));
}

/** Adds the staged zips to the client bundle's output, with Webpack and with Rspack alike. */
function emitDownloads(compiler: Compiler, stagingDir: string): void {
  const { Compilation, sources } = compiler.webpack;
  compiler.hooks.thisCompilation.tap(FORK_PLUGIN_NAME, (compilation) => {
    compilation.hooks.processAssets.tap({ name: FORK_PLUGIN_NAME, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
      if (!existsSync(stagingDir)) return;
      for (const entry of readdirSync(stagingDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
        const file = path.join(entry.parentPath, entry.name);
        const asset = `${DOWNLOADS_PATH}/${path.relative(stagingDir, file).split(path.sep).join('/')}`;
        if (!compilation.getAsset(asset)) compilation.emitAsset(asset, new sources.RawSource(readFileSync(file)));
      }
    });
  });
}
