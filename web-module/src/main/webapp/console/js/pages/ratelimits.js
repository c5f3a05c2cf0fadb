// Rate limits: the tenant's stored policies (the listing API), a resource's effective policy and what each of its
// limits counts now (the usage read, which consumes nothing), editing the policy (PUT), removing the override,
// resetting the resource's windows, and decisions per resource (metrics, admin group).
import {seg} from '../api.js';
import {h, fill, update, badge, notice, fmt, table, facts, NAME_RULE, NAME_RULE_TEXT} from '../dom.js';
import {Rates} from '../chart.js';
import * as listing from '../listing.js';

function limitsTable(limits) {
  return table([{label: 'Limit'}, {label: 'Unit'}, {label: 'Algorithm'}, {label: 'Max', num: true}, {label: 'Window'},
    {label: 'Burst', num: true}],
  (limits || []).map(l => [l.name || '—', l.unit, l.algorithm, fmt.num(l.max), fmt.ms(l.windowSeconds * 1000),
    l.burst === undefined || l.burst === null ? '—' : fmt.num(l.burst)]), 'No limits.', 'Limits');
}

/** A limit's capacity: a token bucket's burst, else its max. */
function capacity(l) {
  return l.burst === undefined || l.burst === null ? l.max : l.burst;
}

/** What each limit counts now: used of its capacity with a gauge, remaining, when it resets and admits again. */
function usageTable(usage) {
  return table([{label: 'Limit'}, {label: 'Used', num: true}, {label: 'Of limit'}, {label: 'Remaining', num: true},
    {label: 'Resets in'}, {label: 'Admits one more'}],
  usage.limits.map(l => {
    const cap = capacity(l);
    const share = cap > 0 ? l.used / cap : 0;
    const tone = share >= 1 ? ' bad' : share >= 0.8 ? ' warn' : '';
    return {attrs: {'data-limit': l.name}, cells: [
      h('span', {}, l.name, ' ', h('span', {class: 'muted small'}, `${l.algorithm}, ${l.unit}`)),
      h('span', {'data-used': String(l.used)}, `${fmt.num(l.used)} / ${fmt.num(cap)}`),
      h('div', {class: 'gauge usage-gauge' + tone, role: 'meter', 'aria-label': `${l.name}: used of ${fmt.num(cap)}`,
        'aria-valuemin': '0', 'aria-valuemax': String(cap), 'aria-valuenow': String(Math.min(l.used, cap))},
      h('span', {'data-width': String(Math.min(100, share * 100))})),
      fmt.num(l.remaining),
      l.resetAfterMillis > 0 ? fmt.ms(l.resetAfterMillis) : 'nothing counted',
      l.retryAfterMillis > 0 ? `in ${fmt.ms(l.retryAfterMillis)}` : 'now',
    ]};
  }), 'No limits.', 'Usage');
}

export default {
  title: () => 'Rate limits',

  render(ctx) {
    const resource = ctx.args[0] || null;
    const listBox = h('div', {class: 'panel', 'data-section': 'policies'});
    const decisionsBox = h('div', {class: 'panel', 'data-section': 'decisions'});
    const resourceBox = h('div', {class: 'panel', 'data-section': 'resource'});
    const nowBox = h('div', {class: 'panel', 'data-section': 'resource-usage', 'aria-live': 'off'});
    const input = h('input', {id: 'resource', name: 'resource', required: true, autocomplete: 'off', value: resource || ''});
    const form = h('form', {class: 'inline', id: 'resource-form'}, h('label', {for: 'resource'}, 'Resource', input),
      h('button', {type: 'submit', class: 'primary'}, 'Open'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      const v = input.value.trim();
      if (!NAME_RULE.test(v)) {
        ctx.toast(`"${v}" is not a resource name: ${NAME_RULE_TEXT}.`, 'error');
        return;
      }
      location.hash = ctx.href('ratelimits', v);
    });
    fill(ctx.root, h('h1', {}, `Rate limits of ${ctx.tenant}`),
      h('div', {class: 'panel'}, form, h('p', {class: 'muted small'}, 'Resource "default" holds the tenant\'s default policy.')),
      resourceBox, nowBox, listBox, decisionsBox);

    const rates = new Rates();
    const refreshList = async () => {
      const page = await listing.policies(ctx.api, ctx.tenant, {limit: 200});
      update(listBox, page, () => [h('h2', {}, 'Stored policies'),
        page === null ? notice('na', 'The list of stored policies is not available on this server; open a resource above.')
          : table([{label: 'Resource'}, {label: 'Policy'}],
            page.policies.map(p => [h('a', {href: ctx.href('ratelimits', p.resource)}, p.resource),
              p.valid === false ? badge('stored value nodes ignore', 'warn')
                : (p.limits || []).map(l => `${l.name || ''} ${fmt.num(l.max)} ${l.unit} per ${fmt.ms(l.windowSeconds * 1000)} (${l.algorithm})`).join('; ')]),
            'The tenant stored no policy: every resource uses the configured defaults.', 'Stored policies')]);
    };

    const refreshDecisions = async () => {
      if (!ctx.me.admin) {
        update(decisionsBox, 'tenant', () => [h('h2', {}, 'Decisions'),
          notice('na', 'Decisions per resource come from the metrics, which the admin group may read.')]);
        return;
      }
      const m = await listing.metrics(ctx.api, ctx.signal);
      if (!m || m.error) {
        update(decisionsBox, m, () => [h('h2', {}, 'Decisions'), notice(m ? 'error' : 'na', m ? 'Metrics: ' + m.error : 'Metrics: not available on this server.')]);
        return;
      }
      const now = Date.now();
      const mine = m.samples.filter(s => s.name === 'crew_ratelimit_decisions_total' && s.labels.tenant === ctx.tenant);
      const byResource = new Map();
      for (const s of mine) {
        const r = byResource.get(s.labels.resource) || {allowed: 0, denied: 0, fallback: 0};
        r[s.labels.outcome === 'denied' ? 'denied' : 'allowed'] += s.value;
        if (s.labels.decided_by !== 'redis') r.fallback += s.value;
        byResource.set(s.labels.resource, r);
      }
      const rows = [...byResource.entries()].sort().map(([res, r]) => {
        const a = rates.rate('a.' + res, r.allowed, now);
        const d = rates.rate('d.' + res, r.denied, now);
        return [res, fmt.num(r.allowed), fmt.num(r.denied), a === null ? '—' : a.toFixed(1), d === null ? '—' : d.toFixed(1),
          fmt.num(r.fallback)];
      });
      update(decisionsBox, rows, () => [h('h2', {}, 'Decisions on this node'),
        table([{label: 'Resource'}, {label: 'Allowed', num: true}, {label: 'Denied', num: true}, {label: 'Allowed/s', num: true},
          {label: 'Denied/s', num: true}, {label: 'Not decided by Redis', num: true}], rows,
        'No decision for this tenant on this node yet (or the tenant is counted under _other).', 'Decisions')]);
    };

    const refreshNow = async () => {
      if (!resource) {
        update(nowBox, 'none', () => []);
        nowBox.hidden = true;
        return;
      }
      nowBox.hidden = false;
      const usage = await ctx.api.optional(`tenants/${seg(ctx.tenant)}/ratelimits/${seg(resource)}/usage`,
        {signal: ctx.signal, kind: 'ratelimit usage'});
      ctx.clearError();
      const shown = usage && {decidedBy: usage.decidedBy, limits: usage.limits};
      update(nowBox, shown, () => [h('h2', {}, 'Usage now'),
        usage === null ? notice('na', 'The usage of a resource is not available on this server.') : [
          usage.decidedBy === 'REDIS' ? null : notice('warn', `Redis is unreachable: this is what this node's fallback `
            + `(${usage.decidedBy}) counts, of its share of each limit.`),
          usageTable(usage),
          h('p', {class: 'muted small'}, `Read without consuming anything; refreshed every ${ctx.refreshMs / 1000} s.`)]]);
      for (const bar of nowBox.querySelectorAll('.gauge > span[data-width]')) bar.style.width = bar.dataset.width + '%';
    };

    const refreshResource = async () => {
      if (!resource) {
        update(resourceBox, 'none', () => h('p', {class: 'muted'}, 'Open a resource to see and edit its policy.'));
        return;
      }
      const base = `tenants/${seg(ctx.tenant)}/ratelimits/${seg(resource)}`;
      const policy = await ctx.api.get(`${base}/policy`, {signal: ctx.signal});
      ctx.clearError();
      const editor = h('textarea', {id: 'policy-json', name: 'policy', spellcheck: 'false', rows: '8'},
        JSON.stringify({limits: policy.limits.map(l => {
          const o = {name: l.name, unit: l.unit, algorithm: l.algorithm, max: l.max, windowSeconds: l.windowSeconds};
          if (l.burst !== undefined && l.burst !== null) o.burst = l.burst;
          return o;
        })}, null, 2));
      const save = h('form', {class: 'stack', id: 'policy-form'},
        h('label', {for: 'policy-json'}, 'Policy (JSON: {"maxRequests","windowSeconds"} or {"limits":[…]})', editor),
        h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Save policy')));
      save.addEventListener('submit', async e => {
        e.preventDefault();
        let body;
        try {
          body = JSON.parse(editor.value);
        } catch (err) {
          ctx.toast(`The policy is not JSON: ${err.message}`, 'error');
          return;
        }
        const r = await ctx.act(() => ctx.api.put(`${base}/policy`, body), 'Policy saved: every node uses it now.');
        if (r) await refreshResource();
      });
      update(resourceBox, policy, () => [
        h('h2', {}, 'Resource ', h('span', {class: 'mono'}, resource), ' ',
          policy.override ? badge('stored policy', 'warn') : badge('configured defaults', null)),
        facts([['Exact log', policy.maxRequests ? `${fmt.num(policy.maxRequests)} requests per ${fmt.ms(policy.windowSeconds * 1000)}` : null]]),
        limitsTable(policy.limits),
        h('details', {}, h('summary', {}, 'Edit the policy'), save),
        h('div', {class: 'actions'},
          h('button', {type: 'button', class: 'danger', id: 'clear-policy', 'data-key': 'clear-policy', disabled: !policy.override,
            onclick: async () => {
              if (!(await ctx.confirm(`Remove the stored policy of ${resource}? The configured defaults apply again.`, 'Remove'))) return;
              await ctx.act(() => ctx.api.del(`${base}/policy`), 'Stored policy removed.');
              await refreshResource();
            }}, 'Remove stored policy'),
          h('button', {type: 'button', class: 'danger', id: 'reset-resource', 'data-key': 'reset-resource', onclick: async () => {
            if (!(await ctx.confirm(`Reset ${resource}? Its windows and buckets start empty: callers get a full budget.`, 'Reset'))) return;
            await ctx.act(() => ctx.api.del(base), `${resource} reset.`);
          }}, 'Reset windows')),
      ]);
    };

    ctx.every(ctx.refreshMs, refreshNow);
    ctx.every(ctx.refreshMs * 2, async () => {
      await refreshResource();
      await refreshList();
      await refreshDecisions();
    });
  },
};
