/**
 * "Run it for real": `lab export` in the lab's workspace (labs/kit/export/), then the folder it wrote as one tar
 * archive, `05-load-balancer-cluster-real-stack/`, with compose.yaml, run-netns.sh, README.md and the learner's
 * current files. The backend runs the command and reads the files; nothing here knows which backend it is.
 */
import { runLab } from './lab-command';
import { tarArchive } from './tar';
import type { LabBackend } from './types';

/** Where `lab export` writes, in the workspace. */
export const EXPORT_DIR = 'export';

export interface RealStackExport {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
  /** Files the real programs would refuse, as `lab export` found them: exported all the same. */
  problems: Array<{ file: string; message: string }>;
}

interface ExportAnswer {
  files: string[];
  problems: Array<{ file: string; message: string }>;
}

export async function exportRealStack(backend: LabBackend, labId: string): Promise<RealStackExport> {
  const result = await runLab(backend, ['export', EXPORT_DIR, '--json']);
  const answer = result.code === 0 ? readAnswer(result.output) : undefined;
  if (!answer) {
    const said = result.output.trim().split('\n').slice(-1)[0] || `it ended with exit status ${result.code}`;
    throw new Error(`\`${result.command}\` failed: ${said}`);
  }
  const folder = `${labId}-real-stack`;
  const files = await Promise.all(answer.files.map(async (file) => [`${folder}/${file}`, await backend.readFile(`${EXPORT_DIR}/${file}`)] as const));
  return {
    fileName: `${folder}.tar`,
    mimeType: 'application/x-tar',
    bytes: tarArchive(Object.fromEntries(files), new Date(), new Set([`${folder}/run-netns.sh`])),
    problems: answer.problems,
  };
}

/** The JSON line of `lab export --json`, or undefined when there is none. */
function readAnswer(output: string): ExportAnswer | undefined {
  const line = output.split('\n').find((text) => text.startsWith('{'));
  if (!line) return undefined;
  try {
    const answer = JSON.parse(line) as Partial<ExportAnswer>;
    return Array.isArray(answer.files) ? { files: answer.files, problems: answer.problems ?? [] } : undefined;
  } catch {
    return undefined;
  }
}
