// What exists, from the listing API (GET /tenants/{t}/queues, .../streams, ..., /admin/tenants) and the metrics.
// Each function answers null when the server has no such endpoint (ApiError.notAvailable), so a page can say
// "not available on this server" instead of failing.
import {seg} from './api.js';

function q(params) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') s.set(k, v);
  const text = s.toString();
  return text ? '?' + text : '';
}

/** Admin: one page of every tenant: {total, tenants: [id], nextCursor}. */
export function tenants(api, {cursor = null, limit = 100} = {}) {
  return api.optional('admin/tenants' + q({cursor, limit}), {kind: 'tenants'});
}

/** One page of a tenant's queues with their counts: {queues: [{queue, stats}], nextCursor}. */
export function queues(api, tenant, {cursor = null, limit = 50, stats = true} = {}) {
  return api.optional(`tenants/${seg(tenant)}/queues` + q({cursor, limit, stats}), {kind: 'queues'});
}

/** One page of a queue's tasks in a state: {tasks: [task], nextCursor}. */
export function tasks(api, tenant, queue, state, {cursor = null, limit = 50} = {}) {
  return api.optional(`tenants/${seg(tenant)}/queues/${seg(queue)}/tasks` + q({state, cursor, limit}), {kind: 'tasks'});
}

/** One page of a tenant's streams: {streams: [name], nextCursor}. */
export function streams(api, tenant, {cursor = null, limit = 100} = {}) {
  return api.optional(`tenants/${seg(tenant)}/streams` + q({cursor, limit}), {kind: 'streams'});
}

/** A stream's groups with their consumers: {groups: [{name, pending, lag, consumers: [...]}, ...]}. */
export function groups(api, tenant, stream, {consumers = 100} = {}) {
  return api.optional(`tenants/${seg(tenant)}/streams/${seg(stream)}/groups` + q({consumers}), {kind: 'groups'});
}

/** One page of a tenant's embedding models: {models: [{model, dimension}], nextCursor}. */
export function models(api, tenant, {cursor = null, limit = 100} = {}) {
  return api.optional(`tenants/${seg(tenant)}/embeddings` + q({cursor, limit}), {kind: 'models'});
}

/** A model's vectors in Redis, counted by a bounded scan: {entries, complete, coverage, ...}. */
export function entries(api, tenant, model) {
  return api.optional(`tenants/${seg(tenant)}/embeddings/${model.split('/').map(seg).join('/')}/entries`, {kind: 'entries'});
}

/** A tenant's session and user counts: {users, activeUsers, sessions, complete, ...}. */
export function sessionCounts(api, tenant) {
  return api.optional(`tenants/${seg(tenant)}/sessions`, {kind: 'session counts'});
}

/** One page of a tenant's stored rate-limit policies: {policies: [{resource, valid, limits}], nextCursor}. */
export function policies(api, tenant, {cursor = null, limit = 100} = {}) {
  return api.optional(`tenants/${seg(tenant)}/ratelimits` + q({cursor, limit}), {kind: 'policies'});
}

/**
 * The node's metrics (GET /api/v1/metrics, Prometheus text; the admin and scrape groups only), parsed into
 * samples [{name, labels, value}]. null when the server has no metrics endpoint or they are switched off.
 */
export async function metrics(api, signal) {
  let res;
  try {
    res = await fetch(new URL('metrics', new URL('../api/v1/', document.baseURI)), {headers: api.headers({Accept: 'text/plain'}),
      cache: 'no-store', signal});
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    return {error: 'the metrics could not be read: ' + e.message};
  }
  if (res.status === 404 || res.status === 405) return null;
  if (!res.ok) {
    let message = `${res.status}`;
    try {
      message = (await res.json()).message || message;
    } catch (e) {
      // not JSON
    }
    return {error: message, status: res.status};
  }
  return {samples: parsePrometheus(await res.text())};
}

/** Prometheus text format 0.0.4: name{label="value",...} value [timestamp]; comments skipped. */
export function parsePrometheus(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let l;
      while ((l = re.exec(m[3])) !== null) labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    }
    out.push({name: m[1], labels, value: Number(m[4])});
  }
  return out;
}

/** Sums the samples named `name` whose labels match `where`, grouped by the label `by` (null: one total). */
export function sum(samples, name, where = {}, by = null) {
  const groupsOut = new Map();
  for (const s of samples) {
    if (s.name !== name) continue;
    if (!Object.entries(where).every(([k, v]) => s.labels[k] === v)) continue;
    const key = by ? s.labels[by] : '';
    groupsOut.set(key, (groupsOut.get(key) || 0) + s.value);
  }
  return by ? groupsOut : (groupsOut.get('') ?? null);
}
