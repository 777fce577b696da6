// @ts-check
/**
 * What a router does with the advertisements it hears: a wrong password is ignored and logged; a master that
 * stops sends priority 0 so that the backup takes over at once; between equal priorities the higher address wins.
 * The test speaks to the daemons' port 112 itself, as a third router (10.0.0.99 or 10.0.0.5) would.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lab } from './testing/harness.js';
import { keepalivedConf } from './testing/keepalived-conf.js';
import { twoOwnerEvidence } from './testing/ownership.js';

/** Authentication exists only in VRRP version 2, which counts advert_int in whole seconds. */
const ADVERT_INT = 1;
const PASS = 's3cret';
/** Master_Down_Interval of lb-02 (priority 100): 3 x 1 + 156 / 256 seconds. */
const MASTER_DOWN_MS = 3609;

/**
 * @param {number} priority
 * @param {string} from
 * @param {string | undefined} authPass
 * @returns {import('./adverts.js').Advert}
 */
const advert = (priority, from, authPass = PASS) =>
  ({ version: 2, virtualRouterId: 51, priority, advertInt: ADVERT_INT, authPass, addresses: ['10.0.0.100'], from });

test('wrong passwords are ignored, SIGTERM hands over with priority 0, and equal priorities go to the higher IP', { timeout: 30_000 }, async (t) => {
  const lab = await Lab.open(23400);
  t.after(() => lab.close());
  await Promise.all([lab.startBalancer('lb-01'), lab.startBalancer('lb-02')]);
  const lb01 = lab.startDaemon('lb-01', keepalivedConf({ server: 'lb-01', state: 'MASTER', priority: 101, advertInt: ADVERT_INT, authPass: PASS }));
  const lb02 = lab.startDaemon('lb-02', keepalivedConf({ server: 'lb-02', priority: 100, advertInt: ADVERT_INT, authPass: PASS }));
  await lab.waitForOwner('lb-01', 6000);
  const poller = lab.poll();

  // A higher priority with the wrong password, or with none, would take the VIP if it were believed.
  const mark = lb01.lines.length;
  assert.equal(await lab.sendAdvert('lb-01', advert(200, '10.0.0.99', 'wrong')), 204);
  assert.equal(await lab.sendAdvert('lb-01', { ...advert(200, '10.0.0.99'), authPass: undefined }), 204);
  await lb01.waitFor(/\(VI_1\) received an invalid passwd!/, { after: mark });
  await lb01.waitFor(/\(VI_1\) received a 0 auth, expecting 1!/, { after: mark });
  assert.equal(lb01.lines.slice(mark).find((l) => l.text.includes('Entering BACKUP')), undefined, lb01.logText());
  assert.equal((await lab.request()).owner, 'lb-01');

  const stoppedAt = Date.now();
  lb01.kill('SIGTERM');
  const [code] = await lb01.exited;
  assert.equal(code, 0, lb01.logText());
  await lb01.waitFor(/\(VI_1\) sent 0 priority/);
  await lb02.waitFor(/\(VI_1\) Backup received priority 0 advertisement/);
  const master = await lb02.waitFor(/\(VI_1\) Entering MASTER STATE/);
  // On its own the backup could not notice before Master_Down_Interval minus one advert_int (2.6 s): the last
  // advert may have come up to one interval before the stop. With priority 0 it waits Skew_Time, 0.6 s.
  assert.ok(master.time - stoppedAt < MASTER_DOWN_MS - ADVERT_INT * 1000, `took ${master.time - stoppedAt} ms\n${lab.logs()}`);
  await lab.waitForOwner('lb-02', 3000);

  // Equal priority: a lower address is ignored, a higher one wins (RFC 5798 section 6.4.3).
  const before = lb02.lines.length;
  assert.equal(await lab.sendAdvert('lb-02', advert(100, '10.0.0.5')), 204);
  assert.equal(lb02.lines.slice(before).find((l) => l.text.includes('Entering BACKUP')), undefined, lb02.logText());
  assert.equal(await lab.sendAdvert('lb-02', advert(100, '10.0.0.99')), 204);
  await lb02.waitFor(/Master received advert from 10\.0\.0\.99 with same priority 100 but higher IP address than ours/, { after: before });
  await lb02.waitFor(/Entering BACKUP STATE$/, { after: before });

  await poller.stop();
  assert.deepEqual(twoOwnerEvidence(lab.daemons, lab.samples), []);
});

test('a malformed advertisement is refused with 400 and logged', { timeout: 15_000 }, async (t) => {
  const lab = await Lab.open(23500);
  t.after(() => lab.close());
  const lb02 = lab.startDaemon('lb-02', keepalivedConf({ server: 'lb-02', priority: 100, advertInt: 0.2 }));
  await lb02.waitFor(/Startup complete/);
  const status = await lab.sendAdvert('lb-02', /** @type {any} */ ({ ...advert(100, '10.0.0.99'), priority: 300 }));
  assert.equal(status, 400);
  await lb02.waitFor(/ignoring a malformed advertisement/);
});
