/**
 * The lab manifest (labs/NN-slug/lab.json, format 1) and the lab network table (network.json), as zod schemas.
 * Strict objects, and a description on every field: a typo in an author's file is an error that names the file, the
 * field and what the field is for, never a silently ignored key.
 *
 * This module is safe in the browser (the page reads manifest types from it); the checks that need the lab's folder
 * (files that must exist, ports that must match) are in validate-lab.ts, on the Node side.
 */
import * as z from 'zod';
import { closestWord } from '../../labs/kit/lib/config-error.js';

const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const LAB_ID = /^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CHECK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A relative POSIX path with no `.` or `..` segment: `lb-01/haproxy.cfg`. */
const WORKSPACE_PATH = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[^/\\][^\\]*$/;
const ADDRESS = /^[a-z0-9][a-z0-9.-]*:\d{1,5}$/i;

const slug = (what: string) =>
  z.string().regex(SLUG, { error: `is not a valid ${what}: use lowercase letters, digits and single dashes, starting with a letter` });

export const ServiceSchema = z
  .strictObject({
    name: slug('service name').describe('The service, unique on its server, as `lab restart <server> <service>` names it: "haproxy".'),
    program: slug('program name').describe('The kit program that runs it, a folder of labs/kit: "balancer", "web", "vrrp", "db" or "app".'),
    args: z
      .array(z.string().describe('One command-line argument.'))
      .describe('The program\'s arguments, relative to the server\'s folder: ["-f", "haproxy.cfg"].'),
  })
  .describe('One process of a server.');

export const ServerSchema = z
  .strictObject({
    name: slug('server name').describe('The server\'s name, also its folder in files/ and its name in network.json: "web-01".'),
    role: z.enum(['balancer', 'web', 'app', 'database']).describe('What the server does: "balancer", "web", "app" or "database".'),
    services: z.array(ServiceSchema).min(1, { error: 'must list at least one service' }).describe('The processes the server runs.'),
  })
  .describe('One machine of the lab.');

export const TopologySchema = z
  .strictObject({
    control: z
      .int({ error: 'must be a whole number: the supervisor\'s loopback port, 4NN00 for lab NN' })
      .min(1024)
      .max(65535)
      .describe('The supervisor\'s loopback port: lab NN uses ports 4NN00 to 4NN99, and control is 4NN00.'),
    entry: z
      .string()
      .regex(ADDRESS, { error: 'is not an address of the form host:port, such as "10.0.0.100:80"' })
      .describe('The address that `lab curl`, `lab load` and the page\'s preview use by default: "10.0.0.100:80".'),
    servers: z.array(ServerSchema).min(1, { error: 'must list at least one server' }).describe('The lab\'s machines.'),
  })
  .describe('What the supervisor starts; see labs/kit/README.md.');

export const EditableSchema = z
  .strictObject({
    file: z
      .string()
      .regex(WORKSPACE_PATH, { error: 'is not a workspace path: write it relative to the workspace, with / and no . or .., such as "lb-01/haproxy.cfg"' })
      .describe('A starter file the page\'s editor opens, as its path in the workspace: "lb-01/haproxy.cfg".'),
    server: slug('server name').describe('The server whose service reads the file: "lb-01".'),
    service: slug('service name').describe('The service restarted after the learner saves the file: "haproxy".'),
  })
  .describe('A file the learner edits on the page.');

export const CheckSchema = z
  .strictObject({
    id: z
      .string()
      .regex(CHECK_ID, { error: 'is not a valid check id: use lowercase letters, digits and single dashes, as it names the module checks/<id>.js' })
      .describe('Names the check\'s module, checks/<id>.js: "round-robin".'),
    title: z.string().min(1, { error: 'must not be empty' }).describe('What the check proves, shown beside its tick: "Requests alternate between web-01 and web-02".'),
  })
  .describe('A behavioural check that ticks when it passes.');

export const StepSchema = z
  .strictObject({
    id: slug('step id').describe('The step\'s id, unique in the lab: "round-robin".'),
    title: z.string().min(1, { error: 'must not be empty' }).describe('The step\'s title: "Share the traffic".'),
    instructions: z.string().min(1, { error: 'must not be empty' }).describe('The step\'s instructions, in Markdown.'),
    hints: z.array(z.string().describe('One hint, in Markdown.')).describe('Hints revealed one at a time, in Markdown; may be empty.'),
    checks: z.array(CheckSchema).min(1, { error: 'must list at least one check: a step is done when its checks pass' }).describe('The checks that prove the step is done.'),
  })
  .describe('One step of the lab.');

export const ManifestSchema = z
  .strictObject({
    format: z.literal(1).describe('The manifest format: 1.'),
    id: z
      .string()
      .regex(LAB_ID, { error: 'is not a valid lab id: write NN-slug, such as "02-load-balancer", the name of the lab\'s folder' })
      .describe('The lab\'s id, equal to its folder\'s name: "02-load-balancer".'),
    title: z.string().min(1, { error: 'must not be empty' }).describe('The lab\'s title: "Balance two web servers".'),
    summary: z.string().min(1, { error: 'must not be empty' }).describe('One sentence shown on the lab panel before it starts.'),
    topology: TopologySchema,
    editable: z.array(EditableSchema).describe('The files the page\'s editor opens, and the service to restart after saving each.'),
    steps: z.array(StepSchema).min(1, { error: 'must list at least one step' }).describe('The lab\'s steps, in order.'),
  })
  .describe('A lab\'s manifest, labs/NN-slug/lab.json.');

export const NetworkTableSchema = z
  .strictObject({
    hosts: z
      .record(z.string(), z.string().describe('The (pretend) IP address of the host: "10.0.0.21".'))
      .describe('Every server\'s (pretend) IP address: { "web-01": "10.0.0.21" }.'),
    ports: z
      .record(z.string(), z.int().min(1024).max(65535).describe('A loopback port of the lab\'s range, 4NN01 to 4NN99.'))
      .describe('Every address a configuration may name, and its loopback port: { "web-01:80": 20221 }.'),
  })
  .describe('The lab network table, labs/NN-slug/network.json; see labs/kit/README.md.');

export type LabManifest = z.infer<typeof ManifestSchema>;
export type LabTopology = z.infer<typeof TopologySchema>;
export type LabStep = z.infer<typeof StepSchema>;
export type LabCheck = z.infer<typeof CheckSchema>;
export type EditableFile = z.infer<typeof EditableSchema>;
export type NetworkTable = z.infer<typeof NetworkTableSchema>;

/** One thing wrong with a lab: where (file and field) and what to do. */
export interface LabProblem {
  file: string;
  /** The field, as `steps[1].checks[0].id`; empty for the file as a whole. */
  path: string;
  message: string;
}

/** A lab that cannot be used as it is. Its message lists every problem, one a line: `file: field: what to do`. */
export class LabError extends Error {
  constructor(readonly problems: LabProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'LabError';
  }
}

export function formatProblem({ file, path, message }: LabProblem): string {
  return path ? `${file}: ${path}: ${message}` : `${file}: ${message}`;
}

/** Parses lab.json (its text, or the parsed JSON). Throws a LabError naming `file` and each wrong field. */
export function parseManifest(json: unknown, file: string): LabManifest {
  return parseWith(ManifestSchema, json, file);
}

/** Parses network.json (its text, or the parsed JSON). Throws a LabError naming `file` and each wrong field. */
export function parseNetworkTable(json: unknown, file: string): NetworkTable {
  return parseWith(NetworkTableSchema, json, file);
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown, file: string): T {
  const data = typeof json === 'string' ? parseJson(json, file) : json;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new LabError(result.error.issues.flatMap((issue) => describeIssue(schema, data, file, issue)));
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LabError([{ file, path: '', message: `is not valid JSON (${(error as Error).message}): check the commas and quotes there` }]);
  }
}

function describeIssue(root: z.ZodType, data: unknown, file: string, issue: z.core.$ZodIssue): LabProblem[] {
  const at = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys(objectShape(schemaAt(root, at)) ?? {});
    return issue.keys.map((key) => ({
      file,
      path: formatPath([...at, key]),
      message: `unknown field: remove it or fix its spelling${suggest(key, allowed)}; the fields allowed here are ${allowed.join(', ')}`,
    }));
  }
  const schema = schemaAt(root, at);
  const purpose = schema?.description;
  const value = valueAt(data, at);
  const why = purpose ? ` (${purpose})` : '';
  let message: string;
  if (value === undefined) {
    message = `is missing: add it${why}`;
  } else if (issue.code === 'invalid_value') {
    message = `${JSON.stringify(value)} is not allowed: write ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${why}`;
  } else if (issue.code === 'invalid_type') {
    const expected = schema instanceof z.ZodNumber && schema.isInt ? 'int' : issue.expected;
    message = `must be ${article(expected)}, not ${describeValue(value)}${why}`;
  } else {
    message = `${JSON.stringify(value)} ${issue.message}${why}`;
  }
  return [{ file, path: formatPath(at), message }];
}

/** `['steps', 1, 'checks', 0, 'id']` -> `steps[1].checks[0].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${String(part)}` : String(part);
  }, '');
}

/** The schema that validates the value at `path`, to explain what belongs there. */
function schemaAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current = schema;
  for (const part of path) {
    if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else current = objectShape(current)?.[String(part)];
  }
  return current;
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = { array: 'a list', object: 'an object', record: 'an object', int: 'a whole number' };
  return names[expected] ?? `a ${expected}`;
}

/** `; did you mean "hints"?` when a known field is one or two typos away. */
function suggest(key: string, allowed: string[]): string {
  const near = closestWord(key, allowed);
  return near ? ` (did you mean "${near}"?)` : '';
}
