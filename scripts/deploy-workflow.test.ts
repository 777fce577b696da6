/**
 * The GitHub Pages workflow (.github/workflows/deploy.yml) publishes only what passed every test: it runs .ci/run,
 * which ends with `npm test`, before the build that is uploaded, and the deployment waits for that job.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step { uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> }
interface Job { needs?: string | string[]; if?: string; steps: Step[]; container?: { image: string } }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job> }

const workflow = parse(readFileSync('.github/workflows/deploy.yml', 'utf8')) as Workflow;
const jobs = Object.entries(workflow.jobs);
const indexOf = (steps: Step[], match: (step: Step) => boolean) => steps.findIndex(match);

describe('the GitHub Pages workflow', () => {
  it('runs on every push to main', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'] });
  });

  it('runs .ci/run, which runs npm test, before it builds and uploads the site', () => {
    const ciRun = readFileSync('.ci/run', 'utf8').trim().split('\n');
    expect(ciRun.at(-1)).toBe('npm test');

    const [name, job] = jobs.find(([, job]) => job.steps.some((step) => step.uses?.startsWith('actions/upload-pages-artifact@'))) ?? [];
    expect(name, 'a job uploads the site with actions/upload-pages-artifact').toBeDefined();
    const steps = job!.steps;
    const tests = indexOf(steps, (step) => /^bash \.ci\/run$/.test(step.run?.trim() ?? ''));
    const build = indexOf(steps, (step) => step.run?.trim() === 'npm run build');
    const upload = indexOf(steps, (step) => step.uses?.startsWith('actions/upload-pages-artifact@') ?? false);
    expect(tests).toBeGreaterThanOrEqual(0);
    expect(tests).toBeLessThan(build);
    expect(build).toBeLessThan(upload);
    expect(steps[tests].if, 'the tests run on every event, pull requests too').toBeUndefined();
    expect(steps[upload].with?.path).toBe('build');
    expect(Object.keys(steps[build].env ?? {})).toEqual(expect.arrayContaining(['SITE_URL', 'SITE_BASE_URL', 'SITE_REPOSITORY']));
  });

  it('deploys only after that job, and never from a pull request', () => {
    const [, deploy] = jobs.find(([, job]) => job.steps.some((step) => step.uses?.startsWith('actions/deploy-pages@'))) ?? [];
    const tested = jobs.find(([, job]) => job.steps.some((step) => step.run?.trim() === 'bash .ci/run'))![0];
    expect([deploy?.needs].flat()).toContain(tested);
    expect(deploy?.if).toBe("github.event_name != 'pull_request'");
  });

  it('is the file the deploy guide points to, not a copy in the guide', () => {
    const guide = readFileSync('docs/instructors/deploy.md', 'utf8');
    expect(guide).toContain('.github/workflows/deploy.yml');
    expect(guide).not.toContain('actions/deploy-pages@');
  });
});
