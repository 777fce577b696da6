/**
 * A tar archive (POSIX ustar) of text files, built in the page: what "Download my files" saves. Tar rather than zip
 * because it needs no compression code and every system opens it (`tar -xf`, and the archive tools of Windows and
 * macOS).
 */
import type { FileMap } from './types';

const BLOCK = 512;
const encoder = new TextEncoder();

/** `executable` names the files that extract with mode 755 (a script), the others 644. */
export function tarArchive(files: FileMap, mtime = new Date(), executable: ReadonlySet<string> = new Set()): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [path, content] of Object.entries(files)) {
    const body = encoder.encode(content);
    parts.push(header(path, body.length, mtime, executable.has(path) ? 0o755 : 0o644), body, new Uint8Array(padding(body.length)));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const archive = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    archive.set(part, offset);
    offset += part.length;
  }
  return archive;
}

function header(path: string, size: number, mtime: Date, mode: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const [prefix, name] = splitName(path);
  const put = (offset: number, length: number, text: string) => block.set(encoder.encode(text).subarray(0, length), offset);
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  put(0, 100, name);
  put(100, 8, octal(mode, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(Math.floor(mtime.getTime() / 1000), 12));
  put(148, 8, ' '.repeat(8));
  put(156, 1, '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(345, 155, prefix);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  put(148, 8, `${octal(checksum, 7)}\0 `);
  return block;
}

/** ustar keeps up to 100 bytes of name and 155 of folder prefix, split at a slash. */
function splitName(path: string): [string, string] {
  if (encoder.encode(path).length <= 100) return ['', path];
  const cut = path.lastIndexOf('/', path.length - 1);
  const prefix = path.slice(0, cut);
  const name = path.slice(cut + 1);
  if (cut < 0 || encoder.encode(prefix).length > 155 || encoder.encode(name).length > 100) {
    throw new Error(`${path} is too long a path for a tar archive`);
  }
  return [prefix, name];
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
