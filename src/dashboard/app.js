// The ez-pixel dashboard: the issue list (#/ and #/?status=…) and an issue page (#/issues/<id>),
// from the ingest's /api routes, with live updates over server-sent events. Plain browser
// JavaScript, shipped as is: no framework, no build step. Every value from an event is set as
// text (textContent), never as HTML.
'use strict';

const view = document.getElementById('view');
const pageSize = 20;
let refresh = () => {};

/** Builds an element: el('td', { class: 'count' }, 'text', child, …). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

async function api(path, init) {
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  if (response.status === 401) throw Object.assign(new Error('sign in'), { signIn: true });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** 24 hourly bars, the last one for the current hour. */
function sparkline(hourly) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', '96');
  svg.setAttribute('height', '20');
  const now = Math.floor(Date.now() / 3_600_000);
  const counts = new Map(hourly.map((bucket) => [bucket.hour, bucket.count]));
  const max = Math.max(1, ...counts.values());
  for (let i = 0; i < 24; i++) {
    const count = counts.get(now - 23 + i) ?? 0;
    const height = count === 0 ? 0 : Math.max(2, Math.round((count / max) * 20));
    const bar = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    bar.setAttribute('x', String(i * 4));
    bar.setAttribute('y', String(20 - height));
    bar.setAttribute('width', '3');
    bar.setAttribute('height', String(height));
    svg.append(bar);
  }
  svg.setAttribute('aria-label', `${hourly.reduce((sum, bucket) => sum + bucket.count, 0)} in the last 24 hours`);
  return svg;
}

function statusBadge(issue) {
  return el('span', {}, el('span', { class: `status ${issue.status}` }, issue.status),
    issue.regression ? el('span', { class: 'regression' }, ' regression') : null);
}

/**
 * Shows a view from what `read` fetched. Only the newest read is shown: two refreshes (a click's and
 * a live change's) can answer out of order, and the older answer must not cover the newer one. Data
 * the view already shows is not drawn again: a redraw under a click (between the press and the
 * release) would swallow it, and it would close the occurrences paged in with Older.
 */
let newestRead = 0;
let shownKey = '';
async function show(read, draw) {
  const ticket = ++newestRead;
  const data = await read();
  if (ticket !== newestRead) return;
  // The hour is in the key: the sparklines end at the current hour.
  const key = `${location.hash} ${Math.floor(Date.now() / 3_600_000)} ${JSON.stringify(data)}`;
  if (key === shownKey) return;
  shownKey = key;
  view.replaceChildren(...draw(data));
}

/** A view drawn without show() (sign-in, an error): the next read draws again, whatever it finds. */
function replaceView(...nodes) {
  newestRead++;
  shownKey = '';
  view.replaceChildren(...nodes);
}

function showList(status) {
  const query = status ? `?status=${status}` : '';
  return show(() => api(`/api/issues${query}`), ({ issues }) => listView(status, issues));
}

function listView(status, issues) {
  const filters = el('nav', { class: 'filters' }, ...['', 'open', 'resolved', 'ignored'].map((name) =>
    el('a', { href: name ? `#/?status=${name}` : '#/', class: name === (status ?? '') ? 'current' : '' }, name || 'all')));
  const rows = issues.map((issue) => el('tr', { class: 'issue', 'data-id': String(issue.id), onclick: () => (location.hash = `#/issues/${issue.id}`) },
    el('td', {}, el('div', { class: 'type' }, issue.type), el('div', { class: 'message' }, issue.message.split('\n')[0])),
    el('td', { class: 'count' }, String(issue.count)),
    el('td', {}, sparkline(issue.hourly)),
    el('td', {}, when(issue.firstSeen)),
    el('td', {}, when(issue.lastSeen)),
    el('td', {}, statusBadge(issue))));
  const table = issues.length === 0
    ? el('p', { class: 'empty' }, 'No issues yet. Errors appear here as they arrive.')
    : el('table', { class: 'issues' },
      el('thead', {}, el('tr', {}, ...['issue', 'count', '24 h', 'first seen', 'last seen', 'status'].map((title) => el('th', {}, title)))),
      el('tbody', {}, ...rows));
  return [filters, table];
}

function frames(stack) {
  return el('ol', { class: 'frames' }, ...stack.map((frame) =>
    el('li', { class: frame.in_app ? 'in-app' : 'library' }, `${frame.fn}  ${frame.file}:${frame.line}${frame.col ? `:${frame.col}` : ''}`)));
}

function codeContext(context) {
  if (!context) return null;
  const start = context.start_line ?? context.error_line - Math.floor(context.lines.length / 2);
  return el('pre', { class: 'code' }, ...context.lines.map((line, i) =>
    el('span', { class: start + i === context.error_line ? 'error-line' : '' }, `${String(start + i).padStart(5)}  ${line}`)));
}

function facts(event) {
  const rows = [['level', event.level], ['runtime', event.runtime], ['release', event.release ?? '—'],
    ['environment', event.environment ?? '—'], ['occurred', when(event.occurred_at)], ['event id', event.event_id]];
  if (event.sdk) rows.push(['sdk', `${event.sdk.name} ${event.sdk.version}`]);
  return el('dl', { class: 'facts' }, ...rows.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, String(value))]));
}

async function setStatus(id, status) {
  await api(`/api/issues/${id}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
  await refresh();
}

function readOccurrences(id, before) {
  return api(`/events?issue=${id}&limit=${pageSize}${before ? `&before=${before}` : ''}`);
}

function occurrences(id, { events, next }) {
  const table = el('table', { class: 'occurrences' },
    el('thead', {}, el('tr', {}, ...['occurred', 'level', 'release', 'environment', 'event id'].map((title) => el('th', {}, title)))),
    el('tbody', {}, ...events.map((event) => el('tr', {},
      el('td', {}, when(event.occurred_at)), el('td', {}, event.level), el('td', {}, event.release ?? '—'),
      el('td', {}, event.environment ?? '—'), el('td', {}, event.event_id)))));
  const section = el('section', { id: 'occurrences' }, el('h2', {}, 'Occurrences'), table);
  if (next) section.append(el('button', { class: 'more', onclick: async (click) => {
    click.target.remove();
    // The next page's table (and its own Older button), without a second heading.
    section.append(...[...occurrences(id, await readOccurrences(id, next)).children].slice(1));
  } }, 'Older'));
  return section;
}

function showIssue(id) {
  const read = async () => {
    const [{ issue, latest }, page] = await Promise.all([api(`/api/issues/${id}`), readOccurrences(id)]);
    return { issue, latest, page };
  };
  return show(read, ({ issue, latest, page }) => issueView(id, issue, latest, page));
}

function issueView(id, issue, latest, page) {
  const actions = el('div', { class: 'actions' },
    issue.status !== 'resolved' ? el('button', { onclick: () => setStatus(id, 'resolved') }, 'Resolve') : null,
    issue.status !== 'ignored' ? el('button', { onclick: () => setStatus(id, 'ignored') }, 'Ignore') : null,
    issue.status !== 'open' ? el('button', { onclick: () => setStatus(id, 'open') }, 'Reopen') : null);
  const header = el('section', {},
    el('h1', {}, el('span', { class: 'type' }, issue.type), ': ', el('span', { class: 'message' }, issue.message)),
    el('p', {}, statusBadge(issue), `  ${issue.count} events · first seen ${when(issue.firstSeen)} · last seen ${when(issue.lastSeen)}  `, sparkline(issue.hourly)),
    actions);
  const parts = [header];
  if (latest) {
    parts.push(el('section', { id: 'stack' }, el('h2', {}, 'Stack (latest event, innermost first)'), frames(latest.stack), codeContext(latest.code_context)));
    if (latest.cause?.length) {
      parts.push(el('section', { id: 'causes' }, el('h2', {}, 'Cause chain'), ...latest.cause.map((cause) =>
        el('div', { class: 'cause' }, el('div', {}, el('span', { class: 'status' }, cause.relation), ' ', el('span', { class: 'type' }, cause.type), `: ${cause.message}`), frames(cause.stack)))));
    }
    parts.push(el('section', { id: 'facts' }, el('h2', {}, 'Event'), facts(latest)));
    if (latest.context) parts.push(el('section', { id: 'context' }, el('h2', {}, 'Context'), el('pre', {}, JSON.stringify(latest.context, null, 2))));
  }
  parts.push(occurrences(id, page));
  return [el('p', {}, el('a', { href: '#/' }, '← all issues')), ...parts];
}

function showSignIn() {
  const form = document.getElementById('sign-in').content.firstElementChild.cloneNode(true);
  form.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const token = new FormData(form).get('token');
    const response = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    if (response.ok) return route();
    const error = form.querySelector('.error');
    error.textContent = 'That is not the admin token.';
    error.hidden = false;
  });
  replaceView(form);
}

async function route() {
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const issue = /^\/issues\/(\d+)$/.exec(path ?? '');
  refresh = issue ? () => showIssue(Number(issue[1])) : () => showList(new URLSearchParams(search).get('status'));
  try {
    await refresh();
    connectLive();
  } catch (error) {
    if (error.signIn) showSignIn();
    else replaceView(el('p', { class: 'error' }, String(error.message)));
  }
}

let stream;
/** One stream per page; a change re-reads the current view (debounced so a flood is one read). */
function connectLive() {
  if (stream) return;
  const indicator = document.getElementById('live');
  stream = new EventSource('/api/stream');
  let pending;
  stream.addEventListener('open', () => indicator.classList.add('on'));
  stream.addEventListener('error', () => indicator.classList.remove('on'));
  stream.addEventListener('change', () => {
    clearTimeout(pending);
    pending = setTimeout(() => refresh().catch(() => {}), 150);
  });
}

window.addEventListener('hashchange', route);
route();
