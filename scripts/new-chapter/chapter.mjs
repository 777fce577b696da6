// @ts-check
/**
 * The new chapter, `docs/NN-slug.mdx`, in the chapters' shape (templates/chapter.mdx): the opening paragraph, "You
 * will learn", the sections, a diagram of the lab's servers, the lab, knowledge checks, "The real thing" with the
 * file the learner changes (marked as that lab file, so the course's tests compare the two), and the recap.
 */
import { fill, inWords } from './templates.mjs';
import { realFile } from './lab.mjs';

/**
 * @typedef {import('./topology.mjs').Topology} Topology
 * @typedef {import('./topology.mjs').Server} Server
 */

/** What each kind of server runs, as the diagrams of the course name it. */
const SOFTWARE = { balancer: 'HAProxy', web: 'Nginx', app: 'application', database: 'MariaDB' };

/**
 * @param {{ title: string, slug: string, number: number, labId: string, topology: Topology, labFiles: Record<string, string> }} chapter
 */
export function chapterText({ title, slug, number, labId, topology, labFiles }) {
  const real = realFile(topology);
  const solution = labFiles[`solution/${real.file}`];
  return fill('chapter.mdx', {
    title: yamlSafe(title),
    slug,
    number,
    diagram: diagram(topology, labId),
    labSentence: labSentence(topology),
    labId,
    realFile: real.file,
    realBlock: `\`\`\`${real.lang} title="${real.title}" lab="${labId}/solution/${real.file}"\n${solution}\`\`\``,
  });
}

/**
 * A title as a YAML value: quoted when a character would mean something to YAML.
 * @param {string} title
 */
function yamlSafe(title) {
  return /^[\w ,.'()-]+$/.test(title) && !/^['-]/.test(title) ? title : JSON.stringify(title);
}

/**
 * A Mermaid flowchart of the lab's servers, with its accessible title and description.
 * @param {Topology} topology
 * @param {string} labId
 */
function diagram({ servers }, labId) {
  const tier = (/** @type {Server['role']} */ role) => servers.filter((server) => server.role === role);
  const id = (/** @type {Server} */ server) => server.name.replace('-', '');
  const lines = ['flowchart LR', `  accTitle: The servers of the lab ${labId}`, `  accDescr: ${description(servers)}`];
  for (const server of servers) {
    const label = `"${server.name} ${server.address}<br/>${SOFTWARE[server.role]}"`;
    lines.push(server.role === 'database' ? `  ${id(server)}[(${label})]` : `  ${id(server)}[${label}]`);
  }
  const chain = [tier('balancer'), tier('web'), tier('app'), tier('database')].filter((group) => group.length > 0);
  lines.push(...chain[0].map((first) => `  client([Browser]) --> ${id(first)}`));
  for (let i = 1; i < chain.length; i++) {
    for (const from of chain[i - 1]) lines.push(...chain[i].map((to) => `  ${id(from)} --> ${id(to)}`));
  }
  return lines.join('\n');
}

/**
 * The diagram's description, for a screen reader: who passes requests to whom.
 * @param {Server[]} servers
 */
function description(servers) {
  const names = (/** @type {Server['role']} */ role, /** @type {'and' | 'or'} */ joiner = 'and') =>
    inWords(servers.filter((server) => server.role === role).map((server) => server.name), joiner);
  const parts = [];
  if (names('balancer')) parts.push(`The browser reaches ${names('balancer')}, running HAProxy, which passes each request to ${names('web', 'or')}, running Nginx.`);
  else parts.push(`The browser reaches ${names('web')}, running Nginx.`);
  if (names('app')) parts.push(`Nginx passes the requests to the application on ${names('app', 'or')}, which keeps its data in ${names('database')}, running MariaDB.`);
  return parts.join(' ');
}

/**
 * What the lab's starter leaves to do, in a sentence for the chapter's "Try it".
 * @param {Topology} topology
 */
function labSentence({ servers, gap }) {
  const webs = inWords(servers.filter((server) => server.role === 'web').map((server) => `\`${server.name}\``));
  const sentences = {
    'serves-page': `${webs} run Nginx, and the starter's \`nginx.conf\` does not say where the site's files are: the first step does.`,
    balances: `\`lb-01\` runs HAProxy in front of ${webs}, and the starter's backend lists no server: the first step adds them.`,
    'reaches-app': `${webs} run Nginx in front of the application tier, and the starter's \`location /\` passes nothing on: the first step does.`,
  };
  return sentences[gap];
}
