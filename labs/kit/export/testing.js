// @ts-check
/**
 * What the export's tests share: a lab's workspace written to a temporary folder (as the page or the runner would
 * lay it out), and its export. Not copied into a learner's workspace (labs/lab-files.js leaves testing.js out).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labWorkspaceFiles, listLabs } from '../../lab-files.js';
import { openWorkspace } from '../lab/workspace.js';
import { exportLab } from './index.js';

export const LABS_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const LABS = listLabs(LABS_DIR);

/**
 * @param {string} lab  a lab's folder name, 05-load-balancer-cluster
 * @param {{ solution?: boolean, dir?: string }} [options]
 * @returns {string} the workspace's folder
 */
export function writeWorkspace(lab, { solution = false, dir = mkdtempSync(path.join(tmpdir(), 'export-test-')) } = {}) {
  const home = path.join(dir, `${lab}-${solution ? 'solution' : 'starter'}`);
  for (const [file, content] of Object.entries(labWorkspaceFiles(path.join(LABS_DIR, lab), { solution }))) {
    mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    writeFileSync(path.join(home, file), content);
  }
  return home;
}

/**
 * Exports a workspace into its export/ folder.
 * @param {string} home
 */
export function exportWorkspace(home) {
  const out = path.join(home, 'export');
  return { out, plan: exportLab(openWorkspace(home), out) };
}
