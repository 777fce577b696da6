// @ts-check
import { describeAnswer, isBareErrorPage } from './site.js';

/**
 * Step "Find the single points of failure": with MySQL stopped, the static files still load and the guestbook
 * answers an error that says why; with the application stopped, static files still load and nginx answers the
 * dynamic pages with an error status and a page of the site (`error_page`), not its own bare page. Each program
 * is started again afterwards, and the check waits until the guestbook works again.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp('web-01');
  const before = await lab.request('/');
  if (before.status !== 200 || !before.appServer) {
    throw new Error(`\`/\` answered ${describeAnswer(before)}${before.appServer ? '' : ' without the application'}: finish the` +
      ' step "Pass the dynamic pages to the application" first: there is no dynamic page to lose yet.');
  }
  const file = await lab.request('/static/site.css');
  if (file.status !== 200 || file.appServer) {
    throw new Error(`\`/static/site.css\` answered ${describeAnswer(file)}${file.appServer ? ' from the application' : ''}:` +
      ' finish the step "Pass the dynamic pages to the application" first, with `location /static/ { try_files $uri =404; }`,' +
      ' so that static files come from the disk.');
  }

  await lab.stop('web-01', 'mysql');
  const withoutDatabase = await answersNow(lab);
  await lab.start('web-01', 'mysql');
  await guestbookBack(lab, 'MySQL');
  if (withoutDatabase.file.status !== 200) {
    throw new Error(`with MySQL stopped, \`/static/site.css\` answered ${describeAnswer(withoutDatabase.file)}: a static file` +
      ' needs no database, and nginx should send it from the disk by itself. `lab logs web-01 nginx` may say why not.');
  }
  if (withoutDatabase.page.status < 500) {
    throw new Error(`with MySQL stopped, \`/\` answered ${describeAnswer(withoutDatabase.page)}: the guestbook should fail` +
      ' with a 5xx error that says the database cannot be reached. Does `/` still go to the application?');
  }

  await lab.stop('web-01', 'app');
  const withoutApp = await answersNow(lab);
  await lab.start('web-01', 'app');
  await guestbookBack(lab, 'the application');
  if (withoutApp.file.status !== 200) {
    throw new Error(`with the application stopped, \`/static/site.css\` answered ${describeAnswer(withoutApp.file)}: nginx` +
      ' should send static files from the disk by itself.');
  }
  const page = withoutApp.page;
  if (page.status < 500) {
    throw new Error(`with the application stopped, \`/\` answered ${describeAnswer(page)}: the page is there, but its status` +
      ' hides the failure from browsers and monitoring. Keep the error status: `error_page 502 504 /sorry.html;`' +
      ' without `=200`.');
  }
  if (isBareErrorPage(page)) {
    throw new Error(`with the application stopped, \`/\` answered ${describeAnswer(page)} with nginx's bare error page.` +
      ' Show the site\'s own page instead: add `error_page 502 504 /sorry.html;` to the server block, and' +
      ' `location = /sorry.html { }` so that the error page itself comes from the disk and not from the failed' +
      ' application. Then run `lab restart web-01 nginx`.');
  }
  return `with MySQL stopped, static files loaded and \`/\` answered ${describeAnswer(withoutDatabase.page)} from the` +
    ` application; with the application stopped, static files loaded and \`/\` answered ${describeAnswer(page)} with` +
    ' the site\'s own page. Both came back when started again. One thing no setting can help: `lab kill web-01`.';
}

/**
 * The guestbook's page and a static file, as a visitor gets them now.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
async function answersNow(lab) {
  return { page: await lab.request('/'), file: await lab.request('/static/site.css') };
}

/**
 * Waits until the guestbook answers again after a program was started again: the application reconnects to the
 * database by itself, with the next request.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 * @param {string} what the program that was started again
 */
async function guestbookBack(lab, what) {
  await lab.waitFor(async () => (await lab.request('/')).status === 200, {
    timeoutMs: 10_000, intervalMs: 300, what: `the guestbook to answer again after ${what} was started again`,
  });
}
