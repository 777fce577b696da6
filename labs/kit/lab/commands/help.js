// @ts-check
/**
 * `lab help`: every command in one screen.
 */

export const HELP = `lab: run and inspect this lab's servers

  lab up                          start every server, wait until they are up; with no lab page
                                  running the lab, lab up runs it here (Ctrl-C stops it all)
  lab down [--all]                stop every server; --all ends a supervisor that lab up started too
  lab ps [--json]                 every server and service, its state and requests (also: lab status)
  lab start SERVER [SERVICE]      start a server, or one of its services, and wait until it is up
  lab stop SERVER [SERVICE]       stop it: SIGTERM, then SIGKILL after 2 s
  lab restart SERVER [SERVICE]    stop, then start (do this after editing a configuration)
  lab kill SERVER                 cut a server's power: SIGKILL every process at once
  lab partition SERVER SERVER     cut the lab network between two servers that stay up (split brain)
  lab heal [SERVER SERVER]        mend one cut, or every cut
  lab logs SERVER [SERVICE] [-f] [-n LINES]
                                  what the server printed; -f follows new lines
  lab curl [ADDRESS][PATH] [-X METHOD] [-d DATA] [-H NAME:VALUE] [-i]
                                  one request through the lab network, and who served it
  lab load [-n N] [-c C] [-d SECONDS] [ADDRESS][PATH] [--json]
                                  N requests from C clients (or for SECONDS), then errors,
                                  latency percentiles and each server's share
  lab check [ID...] [--json]      run the lab's checks
  lab drill [PATH...] [--only SERVER,SERVER] [--json]
                                  kill each server in turn under load: what failed, who noticed, when back
  lab events [--json]             follow the lab's state, one line per change, until Ctrl-C
  lab export [DIR]                the lab with your files, to run on the real programs (export/)
  lab reset                       put the starter files back (your edits are lost) and start again
  lab help                        this text

  lab supervise [--up] [--owned] [--events]
                                  the supervisor, in the foreground (the lab page starts it)

ADDRESS is a lab address such as lb-01:80, web-02 or 10.0.0.100:80; without one, requests go to the lab's entry.
\`node kit/lab COMMAND\` does the same as \`lab COMMAND\`, in any shell, from the lab's folder.
Exit status: 0 when it worked, 1 when something failed, 2 when the command was not understood.`;

/** @param {string[]} _argv */
export async function help(_argv) {
  console.log(HELP);
  return 0;
}
