// The console's only way to the server: the public HTTP API (/crew/api/v1/...), the open readiness check
// (/health/ready) and the SSE stream of events, each with the signed-in bearer token. Nothing else.

/** An answer other than 2xx: the status and the API's message ({"status","error","message"}). */
export class ApiError extends Error {
  constructor(status, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** The endpoint itself is not on this server (a server without that API): 404 "no such resource", or 405. */
  get notAvailable() {
    return this.status === 405 || (this.status === 404 && /^no such resource$/.test(this.message));
  }
}

/** Endpoints this server does not have (kinds), found out once per page load. */
const UNAVAILABLE = new Set();

/** The API's base URL: the console lives at <context>/console/, the API at <context>/api/v1/. */
export const API_BASE = new URL('../api/v1/', document.baseURI);

async function errorOf(res) {
  let message = `${res.status} ${res.statusText || ''}`.trim();
  try {
    const body = await res.json();
    if (body && typeof body.message === 'string') message = body.message;
  } catch (e) {
    // not JSON (a proxy's page): keep the status line
  }
  const ra = res.headers.get('Retry-After');
  return new ApiError(res.status, message, ra ? Number(ra) : null);
}

function networkError(e) {
  if (e && e.name === 'AbortError') return e;
  return new ApiError(0, 'the server did not answer (network error): ' + (e && e.message ? e.message : e));
}

/** Encodes one path segment (a name, an id). */
export function seg(s) {
  return encodeURIComponent(s);
}

/**
 * A client bound to a token. Paths are relative to /api/v1/ ("tenants/acme/queues/q"); bodies are JSON.
 * Answers: the parsed JSON (null for 204). Failures: ApiError (status 0 for a network error).
 */
export class Api {
  constructor(token) {
    this.token = token;
    this.onUnauthorized = null;
  }

  headers(extra = {}) {
    return Object.assign({Authorization: `Bearer ${this.token}`, Accept: 'application/json'}, extra);
  }

  async request(method, path, body = undefined, {signal} = {}) {
    const init = {method, headers: this.headers(), signal, cache: 'no-store'};
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(new URL(path, API_BASE), init);
    } catch (e) {
      throw networkError(e);
    }
    if (!res.ok) {
      const err = await errorOf(res);
      if (res.status === 401 && this.onUnauthorized) this.onUnauthorized(err);
      throw err;
    }
    if (res.status === 204) return null;
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }

  get(path, opts) {
    return this.request('GET', path, undefined, opts);
  }

  post(path, body, opts) {
    return this.request('POST', path, body, opts);
  }

  put(path, body, opts) {
    return this.request('PUT', path, body, opts);
  }

  del(path, opts) {
    return this.request('DELETE', path, undefined, opts);
  }

  /**
   * GET that answers null when the endpoint is not on this server (see ApiError.notAvailable). `kind` names the
   * endpoint (e.g. "queues list"): once it was not available it is not asked again while the console is open.
   */
  async optional(path, opts = {}) {
    const kind = opts.kind || path.replace(/\?.*$/, '');
    if (UNAVAILABLE.has(kind)) return null;
    try {
      return await this.get(path, opts);
    } catch (e) {
      if (e instanceof ApiError && e.notAvailable) {
        UNAVAILABLE.add(kind);
        return null;
      }
      throw e;
    }
  }
}

/** The open API status (no token needed). */
export async function status(signal) {
  const res = await fetch(new URL('status', API_BASE), {cache: 'no-store', signal, headers: {Accept: 'application/json'}})
    .catch(e => { throw networkError(e); });
  if (!res.ok) throw await errorOf(res);
  return res.json();
}

/**
 * The server's readiness check (/health/ready at the server root; open). 200 and 503 both carry the checks.
 * Returns null when the path is not served on this port (WildFly serves health on its management port).
 */
export async function readiness(signal) {
  const res = await fetch(new URL('/health/ready', location.origin), {cache: 'no-store', signal,
    headers: {Accept: 'application/json'}}).catch(e => { throw networkError(e); });
  if (res.status === 404) return null;
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    throw new ApiError(res.status, `readiness answered ${res.status} without JSON`);
  }
  return body;
}

/**
 * Reads a text/event-stream with the bearer token (EventSource cannot send one) and calls onEvent({id, event,
 * data}) per event. Reconnects after a dropped connection with Last-Event-ID, so nothing is missed; stops when
 * `signal` aborts. onState('open' | 'reconnecting' | 'closed', error?) reports the connection.
 */
export async function eventStream(api, path, {onEvent, onState, signal}) {
  let lastId = null;
  let delay = 1000;
  while (!signal.aborted) {
    try {
      const headers = api.headers({Accept: 'text/event-stream'});
      if (lastId) headers['Last-Event-ID'] = lastId;
      const res = await fetch(new URL(path, API_BASE), {headers, signal, cache: 'no-store'});
      if (!res.ok) {
        const err = await errorOf(res);
        if (res.status === 401 && api.onUnauthorized) api.onUnauthorized(err);
        onState('closed', err);
        return;
      }
      onState('open');
      delay = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let ev = {id: null, event: 'message', data: []};
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += value;
        let m;
        while ((m = /\r\n|\r|\n/.exec(buffer)) !== null) {
          const line = buffer.slice(0, m.index);
          buffer = buffer.slice(m.index + m[0].length);
          if (line === '') {
            if (ev.data.length) {
              if (ev.id !== null) lastId = ev.id;
              onEvent({id: ev.id, event: ev.event, data: ev.data.join('\n')});
            }
            ev = {id: null, event: 'message', data: []};
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let val = colon < 0 ? '' : line.slice(colon + 1);
            if (val.startsWith(' ')) val = val.slice(1);
            if (field === 'data') ev.data.push(val);
            else if (field === 'id') ev.id = val;
            else if (field === 'event') ev.event = val;
          }
        }
      }
    } catch (e) {
      if (signal.aborted || (e && e.name === 'AbortError')) break;
    }
    if (signal.aborted) break;
    onState('reconnecting');
    await new Promise(resolve => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15000);
  }
  onState('closed');
}
