import { describe, expect, it, vi } from 'vitest';
import { loadWorkspace, prefetchWorkspace } from './lab-data';

const workspace = (id: string) => ({ format: 1, lab: id, files: { 'lab.json': '{}' }, solution: {} });
const answering = (body: unknown, status = 200) =>
  vi.fn(async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch & ReturnType<typeof vi.fn>;

describe('loadWorkspace', () => {
  it('takes the download that prefetchWorkspace started, once', async () => {
    const lab = { id: '02-a', workspaceUrl: '/assets/labs/02-a.1.json' };
    const fetchFile = answering(workspace('02-a'));
    prefetchWorkspace(lab, fetchFile);
    prefetchWorkspace(lab, fetchFile);
    expect(fetchFile).toHaveBeenCalledTimes(1);
    await expect(loadWorkspace(lab, fetchFile)).resolves.toMatchObject({ lab: '02-a' });
    expect(fetchFile).toHaveBeenCalledTimes(1);
    await loadWorkspace(lab, fetchFile);
    expect(fetchFile).toHaveBeenCalledTimes(2);
  });

  it('reports a failed prefetch to whoever waits for it, in words for a person', async () => {
    const lab = { id: '02-b', workspaceUrl: '/assets/labs/02-b.1.json' };
    prefetchWorkspace(lab, answering({}, 404));
    await expect(loadWorkspace(lab)).rejects.toThrow(/answered 404\. Reload the page/);
  });

  it('forgets a prefetch that failed while the learner read: pointing at the button, or the click, fetches again', async () => {
    const lab = { id: '02-d', workspaceUrl: '/assets/labs/02-d.1.json' };
    const offline = vi.fn(async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch;
    prefetchWorkspace(lab, offline);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const online = answering(workspace('02-d'));
    prefetchWorkspace(lab, online);
    expect(online).toHaveBeenCalledTimes(1);
    await expect(loadWorkspace(lab, online)).resolves.toMatchObject({ lab: '02-d' });
    expect(online).toHaveBeenCalledTimes(1);
  });

  it('refuses the files of another lab', async () => {
    const lab = { id: '02-c', workspaceUrl: '/assets/labs/02-c.1.json' };
    await expect(loadWorkspace(lab, answering(workspace('03-other')))).rejects.toThrow(/are not lab 02-c's/);
  });
});
