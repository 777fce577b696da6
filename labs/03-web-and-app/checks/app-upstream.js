// @ts-check
import { ALL_SERVERS, WEB_SERVERS, sharedBetweenApps } from './tiers.js';

/**
 * Step "Balance the application tier": each web server, asked directly, shares four dynamic requests between
 * app-01 and app-02, and every one of them succeeds.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp(...ALL_SERVERS);
  const shares = [];
  for (const web of WEB_SERVERS) {
    const served = await sharedBetweenApps(lab, web);
    shares.push(`${web} sent them to ${served.join(', ')}`);
  }
  return `Four dynamic requests to each web server: ${shares.join('; ')}.`;
}
