// @ts-check
/**
 * The guestbook's HTML. Every value that comes from outside (an entry, a header, an error) goes through escapeHtml:
 * an entry is whatever a visitor typed, and `<script>` in a name must show as text, never run in the next
 * visitor's browser (cross-site scripting).
 */

/**
 * @typedef {{ web: string, app: string, database: string }} Servers  who handled the request
 * @typedef {{ id: number, name: string, message: string, created_at: string | null }} Entry
 */

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The home page: the form, then the latest entries.
 * @param {{ entries: Entry[], servers: Servers }} page
 */
export function guestbookPage({ entries, servers }) {
  const items = entries.map((entry) => `    <li><b>${escapeHtml(entry.name)}</b> <small>#${escapeHtml(entry.id)}` +
    ` ${escapeHtml(entry.created_at ?? '')}</small><br>${escapeHtml(entry.message)}</li>`);
  return layout('Guestbook', servers, `
  ${entryForm({ name: '', message: '' })}
  <h2>Latest entries</h2>
  ${entries.length ? `<ol reversed>\n${items.join('\n')}\n  </ol>` : '<p>No entries yet: be the first.</p>'}`);
}

/**
 * The form again, with what the visitor wrote and what is wrong with it (400).
 * @param {{ error: string, name: string, message: string, servers: Servers }} page
 */
export function invalidEntryPage({ error, name, message, servers }) {
  return layout('Guestbook: please check your entry', servers, `
  <p class="error">${escapeHtml(error)}</p>
  ${entryForm({ name, message })}`);
}

/**
 * What went wrong on the server's side: the database cannot be reached (503) or refused the query (500).
 * @param {{ title: string, paragraphs: string[], servers: Servers }} page
 */
export function errorPage({ title, paragraphs, servers }) {
  return layout(title, servers, paragraphs.map((text) => `\n  <p>${escapeHtml(text)}</p>`).join(''));
}

/** @param {{ name: string, message: string }} values */
function entryForm({ name, message }) {
  return `<form method="post" action="/entries">
    <label>Name <input name="name" maxlength="80" required value="${escapeHtml(name)}"></label>
    <label>Message <textarea name="message" maxlength="500" required>${escapeHtml(message)}</textarea></label>
    <button>Sign the guestbook</button>
  </form>`;
}

/**
 * @param {string} title
 * @param {Servers} servers
 * @param {string} body HTML, already escaped
 */
function layout(title, servers, body) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
    .servers { background: #eef3f8; border-radius: 4px; padding: 0.5rem 0.75rem; }
    .error { color: #a00; font-weight: bold; }
    label { display: block; margin: 0.5rem 0; }
    input, textarea { display: block; width: 100%; box-sizing: border-box; }
    li { margin: 0.5rem 0; white-space: pre-wrap; }
  </style>
</head>
<body>
  <h1>${escapeHtml(title)}</h1>
  <p class="servers">Served by web server <b class="web">${escapeHtml(servers.web)}</b>,
    app server <b class="app">${escapeHtml(servers.app)}</b>,
    database server <b class="database">${escapeHtml(servers.database)}</b></p>${body}
</body>
</html>
`;
}
