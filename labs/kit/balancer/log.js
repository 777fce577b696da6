// @ts-check
/**
 * The balancer's log: lines to standard output, like HAProxy with `log stdout`. Under load one write per request
 * would cost a system call each, so the lines of one turn of the event loop are written together.
 */

/**
 * @param {NodeJS.WritableStream} stream
 * @returns {{ log: (line: string) => void, flush: () => void }}
 */
export function createLog(stream) {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    stream.write(pending);
    pending = '';
  };
  return {
    log: (line) => {
      pending += `${line}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
