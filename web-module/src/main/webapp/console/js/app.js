// The console: sign-in, the page router (#/<tenant>/<page>/...), the header and the page context.
import {Api, ApiError} from './api.js';
import {h, fill, notice, NAME_RULE, NAME_RULE_TEXT} from './dom.js';
import overview from './pages/overview.js';
import queues from './pages/queues.js';
import queue from './pages/queue.js';
import task from './pages/task.js';
import streams from './pages/streams.js';
import stream from './pages/stream.js';
import sessions from './pages/sessions.js';
import ratelimits from './pages/ratelimits.js';
import embeddings from './pages/embeddings.js';
import signin from './pages/signin.js';

const TOKEN_KEY = 'crew.console.token';
/** How often pages refresh their numbers while visible. */
export const REFRESH_MS = 2000;

const PAGES = {overview, queues, streams, sessions, ratelimits, embeddings};

/** The signed-in state: token, the API client and who the token says we are (GET /api/v1/whoami). */
const state = {token: null, api: null, me: null, tenant: null, page: null};

const main = document.getElementById('main');

/** Picks the page for the hash: [tenant, page, ...args]. */
function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(p => p !== '').map(decodeURIComponent);
  return {tenant: parts[0] || null, page: parts[1] || 'overview', args: parts.slice(2)};
}

export function href(tenant, page, ...args) {
  return '#/' + [tenant || '-', page, ...args].map(encodeURIComponent).join('/');
}

function pageFor(name, args) {
  if (name === 'queues' && args.length >= 3 && args[1] === 'tasks') return task;
  if (name === 'queues' && args.length >= 1) return queue;
  if (name === 'streams' && args.length >= 1) return stream;
  return PAGES[name] || null;
}

function toast(message, kind = null) {
  const box = document.getElementById('toast');
  const item = h('div', {class: kind || null}, message);
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Asks in a modal dialog; resolves true when confirmed. Escape or Cancel: false. */
function confirmDialog(text, okLabel = 'Confirm') {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel;
  return new Promise(resolve => {
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), {once: true});
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

function recentStore(tenant) {
  const key = kind => `crew.console.recent.${tenant}.${kind}`;
  return {
    get(kind) {
      try {
        return JSON.parse(localStorage.getItem(key(kind)) || '[]');
      } catch (e) {
        return [];
      }
    },
    add(kind, name) {
      const list = this.get(kind).filter(n => n !== name);
      list.unshift(name);
      localStorage.setItem(key(kind), JSON.stringify(list.slice(0, 20)));
    },
    remove(kind, name) {
      localStorage.setItem(key(kind), JSON.stringify(this.get(kind).filter(n => n !== name)));
    },
  };
}

let current = null; // {controller, page}

function describeError(e) {
  if (e instanceof ApiError) {
    if (e.status === 0) return e.message;
    return `${e.status}: ${e.message}`;
  }
  return String(e && e.message ? e.message : e);
}

function makeContext(tenant, args, root, controller) {
  const errors = h('div', {class: 'page-errors'});
  const body = h('div');
  fill(root, errors, body);
  const ctx = {
    api: state.api,
    me: state.me,
    tenant,
    args,
    root: body,
    signal: controller.signal,
    refreshMs: REFRESH_MS,
    href: (page, ...a) => href(tenant, page, ...a),
    toast,
    confirm: confirmDialog,
    recent: recentStore(tenant || '-'),
    describe: describeError,
    suggestTenants,
    /** Shows a failure at the top of the page (replaced by the next one; cleared by clearError). */
    showError(e, what = null) {
      if (controller.signal.aborted || (e && e.name === 'AbortError')) return;
      fill(errors, notice('error', (what ? what + ': ' : '') + describeError(e)));
    },
    clearError() {
      errors.replaceChildren();
    },
    /** Runs fn now and every ms while the page is open and visible; never two at once. */
    every(ms, fn) {
      let timer = null;
      let running = false;
      const tick = async () => {
        if (controller.signal.aborted) return;
        if (!document.hidden && !running) {
          running = true;
          try {
            await fn();
          } catch (e) {
            ctx.showError(e);
          } finally {
            running = false;
          }
        }
        if (!controller.signal.aborted) timer = setTimeout(tick, ms);
      };
      controller.signal.addEventListener('abort', () => clearTimeout(timer));
      tick();
    },
    /** Runs an action (a button's click): errors as a toast, success message as a toast. */
    async act(fn, done = null) {
      try {
        const r = await fn();
        if (done) toast(typeof done === 'function' ? done(r) : done);
        return r;
      } catch (e) {
        toast(describeError(e), 'error');
        return undefined;
      }
    },
  };
  return ctx;
}

function updateChrome(tenant, pageName) {
  const signedIn = !!state.me;
  document.body.classList.toggle('signed-out', !signedIn);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  if (!signedIn) return;
  for (const a of document.querySelectorAll('#nav a[data-page]')) {
    a.href = href(tenant, a.dataset.page);
    if (a.dataset.page === pageName) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.getElementById('brand').href = href(tenant, 'overview');
  const me = state.me;
  document.getElementById('subject').textContent = `${me.subject || me.name || 'signed in'}${me.admin ? ' (admin)' : ''}`;
  const sw = document.getElementById('tenant-switch');
  const fixed = document.getElementById('tenant-fixed');
  sw.hidden = !me.admin;
  fixed.hidden = me.admin;
  fixed.textContent = `Tenant ${me.tenant || '—'}`;
  if (me.admin) {
    const input = document.getElementById('tenant-input');
    if (document.activeElement !== input) input.value = tenant || '';
  }
}

async function render() {
  if (current) current.controller.abort();
  const controller = new AbortController();
  const {tenant: hashTenant, page: pageName, args} = route();
  if (!state.me) {
    current = {controller};
    updateChrome(null, null);
    document.title = 'Sign in · Crew Redis console';
    signin.render({root: main, signIn, signal: controller.signal});
    return;
  }
  let tenant = hashTenant === '-' ? null : hashTenant;
  if (!tenant && state.me.tenant && hashTenant !== '-') {
    location.replace(href(state.me.tenant, pageName, ...args));
    return;
  }
  state.tenant = tenant;
  const page = pageFor(pageName, args);
  updateChrome(tenant, pageName);
  current = {controller};
  if (!page) {
    fill(main, h('h1', {}, 'Not found'), notice('error', `The console has no page "${pageName}".`));
    return;
  }
  const ctx = makeContext(tenant, args, main, controller);
  document.title = `${page.title(ctx)} · Crew Redis console`;
  if (page.needsTenant !== false && !tenant) {
    fill(ctx.root, h('h1', {}, page.title(ctx)),
      notice('warn', 'Choose a tenant above: this token names none, and this page shows one tenant.'));
  } else {
    try {
      page.render(ctx);
    } catch (e) {
      ctx.showError(e);
    }
  }
  if (state.focusMain) {
    state.focusMain = false;
    main.focus({preventScroll: true});
  }
}

/** Signs in with a token: asks the server who it belongs to; throws ApiError when the server refuses it. */
async function signIn(token) {
  const api = new Api(token.trim());
  const me = await api.get('whoami');
  state.token = token.trim();
  state.api = api;
  state.me = me;
  api.onUnauthorized = err => signOut(`The server refused the token: ${err.message}. Sign in again.`);
  sessionStorage.setItem(TOKEN_KEY, state.token);
  state.focusMain = true;
  if (me.tenant) location.hash = href(me.tenant, 'overview');
  else location.hash = href(null, 'overview');
  render();
}

function signOut(message = null) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.api = null;
  state.me = null;
  if (current) current.controller.abort();
  current = null;
  signin.message = message;
  history.replaceState(null, '', location.pathname);
  render();
}

document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));
document.getElementById('tenant-switch').addEventListener('submit', e => {
  e.preventDefault();
  const value = document.getElementById('tenant-input').value.trim();
  if (!NAME_RULE.test(value)) {
    toast(`"${value}" is not a tenant id: ${NAME_RULE_TEXT}.`, 'error');
    return;
  }
  const {page} = route();
  const keep = ['overview', 'queues', 'streams', 'sessions', 'ratelimits', 'embeddings'].includes(page) ? page : 'overview';
  state.focusMain = true;
  location.hash = href(value, keep);
});
window.addEventListener('hashchange', () => {
  state.focusMain = true;
  render();
});

/** Admin tokens: the tenants for the switch's suggestions, when the server lists them. */
function suggestTenants(names) {
  const list = document.getElementById('tenant-list');
  fill(list, names.map(n => h('option', {value: n})));
}

(async function start() {
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    try {
      const api = new Api(saved);
      state.me = await api.get('whoami');
      state.api = api;
      state.token = saved;
      api.onUnauthorized = err => signOut(`The server refused the token: ${err.message}. Sign in again.`);
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      signin.message = e instanceof ApiError && e.status === 401
        ? `The saved token was refused: ${e.message}. Sign in again.` : `Could not check the saved token: ${describeError(e)}`;
    }
  }
  render();
})();
