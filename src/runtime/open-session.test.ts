import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as WebContainerModule from './backends/webcontainer';

const prefetchWebContainerApi = vi.fn();
vi.mock('./backends/webcontainer', async (importOriginal) => ({
  ...(await importOriginal<typeof WebContainerModule>()),
  prefetchWebContainerApi,
}));
const { prepareBackend } = await import('./open-session');

const page = (hash = '', stored: string | null = null) => ({
  location: { hash } as Location,
  sessionStorage: { getItem: () => stored } as unknown as Storage,
});

describe('prepareBackend', () => {
  beforeEach(() => prefetchWebContainerApi.mockClear());

  it('fetches the WebContainer API ahead when the lab will run in the browser', () => {
    prepareBackend(page(), () => true);
    expect(prefetchWebContainerApi).toHaveBeenCalledTimes(1);
  });

  it('fetches nothing for the local runner, or where the browser cannot run a WebContainer', () => {
    prepareBackend(page('#runner=7000&token=0123456789abcdef0123456789abcdef'), () => true);
    prepareBackend(page('', '#runner=7000&token=0123456789abcdef0123456789abcdef'), () => true);
    prepareBackend(page(), () => false);
    expect(prefetchWebContainerApi).not.toHaveBeenCalled();
  });
});
