import { describe, expect, it } from 'vitest';
import { browserFacts, chooseBackend, detectSupport, type BrowserFacts } from './support';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const IPHONE_CHROME = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1';
const EDGE = `${CHROME} Edg/131.0.2903.51`;
const OLD_SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Safari/605.1.15';
const OLD_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Mobile/15E148 Safari/604.1';

const browser = (facts: Partial<BrowserFacts>): BrowserFacts => ({
  crossOriginIsolated: true, hasSharedArrayBuffer: true, userAgent: CHROME, maxTouchPoints: 0, ...facts,
});

describe('detectSupport', () => {
  it('accepts Chrome, Edge and Firefox on an isolated page', () => {
    for (const userAgent of [CHROME, EDGE, FIREFOX]) expect(detectSupport(browser({ userAgent }))).toEqual({ supported: true });
    expect(chooseBackend(detectSupport(browser({})))).toBe('webcontainer');
  });

  it('accepts Safari from 16.4, on a Mac, iPhone and iPad, with a word of caution: its support is in beta', () => {
    for (const facts of [{ userAgent: SAFARI }, { userAgent: IPHONE_CHROME }, { userAgent: SAFARI, maxTouchPoints: 5 }]) {
      const support = detectSupport(browser(facts));
      expect(support).toEqual({ supported: true, caution: expect.stringMatching(/^Safari's support for the in-browser lab is still in beta/) });
      expect(chooseBackend(support)).toBe('webcontainer');
    }
    expect(detectSupport(browser({ userAgent: IPHONE_CHROME }))).toMatchObject({ caution: expect.stringMatching(/may run short of memory/) });
  });

  it('refuses Safari before 16.4, and iPhone and iPad before iOS 16.4, and offers the alternatives', () => {
    for (const facts of [{ userAgent: OLD_SAFARI }, { userAgent: OLD_IPHONE }, { userAgent: OLD_SAFARI, maxTouchPoints: 5 }]) {
      const support = detectSupport(browser(facts));
      expect(support).toEqual({ supported: false, reason: expect.stringMatching(/can run the lab in the page only from Safari 16\.4 on.*on your own machine.*Chrome, Edge or Firefox/) });
      expect(chooseBackend(support)).toBe('local');
    }
  });

  it('explains a page that is not cross-origin isolated, and a browser without shared memory', () => {
    expect(detectSupport(browser({ crossOriginIsolated: false, hasSharedArrayBuffer: false })))
      .toEqual({ supported: false, reason: expect.stringMatching(/^This page is not cross-origin isolated/) });
    expect(detectSupport(browser({ hasSharedArrayBuffer: false })))
      .toEqual({ supported: false, reason: expect.stringMatching(/^This browser does not offer shared memory \(SharedArrayBuffer\)/) });
  });

  it('knows it is not in a browser during server rendering', () => {
    expect(browserFacts(globalThis)).toBeNull();
    expect(detectSupport(null)).toEqual({ supported: false, reason: 'The lab runs in a web browser.' });
  });

  it('reads the facts from a browser-like scope', () => {
    const scope = {
      window: {}, crossOriginIsolated: true, SharedArrayBuffer,
      navigator: { userAgent: FIREFOX, maxTouchPoints: 0 },
    } as unknown as typeof globalThis;
    expect(browserFacts(scope)).toEqual({ crossOriginIsolated: true, hasSharedArrayBuffer: true, userAgent: FIREFOX, maxTouchPoints: 0 });
  });
});
