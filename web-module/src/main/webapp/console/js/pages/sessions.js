// Sessions: the tenant's session and user counts (the listing API), a user's sessions, revoke one or all.
import {seg} from '../api.js';
import {h, fill, update, card, notice, fmt, table, NAME_RULE, NAME_RULE_TEXT} from '../dom.js';
import * as listing from '../listing.js';

export default {
  title: () => 'Sessions',

  render(ctx) {
    const countsBox = h('div', {class: 'panel', 'data-section': 'session-counts'});
    const userBox = h('div', {id: 'user-sessions'});
    const input = h('input', {id: 'user-id', name: 'userId', required: true, autocomplete: 'off', spellcheck: 'false'});
    const form = h('form', {class: 'inline', id: 'user-form'},
      h('label', {for: 'user-id'}, 'User id', input), h('button', {type: 'submit', class: 'primary'}, 'Show sessions'));
    fill(ctx.root, h('h1', {}, `Sessions of ${ctx.tenant}`), countsBox,
      h('div', {class: 'panel'}, h('h2', {}, 'A user\'s sessions'), form, userBox));

    const user = ctx.args[0] || null;
    form.addEventListener('submit', e => {
      e.preventDefault();
      const value = input.value.trim();
      if (!NAME_RULE.test(value)) {
        ctx.toast(`"${value}" is not a user id: ${NAME_RULE_TEXT}.`, 'error');
        return;
      }
      location.hash = ctx.href('sessions', value);
    });
    if (user) input.value = user;

    let counted = 0;
    const refresh = async () => {
      // counting visits every user of the tenant (bounded): every 10 s, not at every refresh
      if (Date.now() - counted >= 10000) {
        counted = Date.now();
        await refreshCounts();
      }
      await refreshUser();
    };
    const refreshCounts = async () => {
      const counts = await listing.sessionCounts(ctx.api, ctx.tenant);
      update(countsBox, counts, () => [h('h2', {}, 'Counts'),
        counts === null ? notice('na', 'Session counts: not available on this server.') : [
          h('div', {class: 'cards'},
            card('Live sessions', fmt.num(counts.sessions), null, 'sessions'),
            card('Users with a live session', fmt.num(counts.activeUsers), null, 'active-users'),
            card('Users known', fmt.num(counts.users), null, 'users')),
          counts.complete ? null : h('p', {class: 'muted small'}, `Estimated: ${fmt.num(counts.usersVisited)} users counted of ${fmt.num(counts.users)}.`)]]);
    };
    const refreshUser = async () => {
      if (!user) {
        update(userBox, 'none', () => h('p', {class: 'muted'}, 'Type a user id to see and revoke the user\'s sessions.'));
        return;
      }
      const list = await ctx.api.get(`tenants/${seg(ctx.tenant)}/users/${seg(user)}/sessions`, {signal: ctx.signal});
      ctx.clearError();
      update(userBox, list, () => [
        h('h3', {}, `Sessions of ${user} (${list.length})`),
        h('div', {class: 'actions'}, h('button', {type: 'button', class: 'danger', id: 'revoke-all', 'data-key': 'revoke-all',
          disabled: list.length === 0, onclick: async () => {
            if (!(await ctx.confirm(`Revoke all ${list.length} sessions of ${user}?`, 'Revoke all'))) return;
            await ctx.act(() => ctx.api.del(`tenants/${seg(ctx.tenant)}/users/${seg(user)}/sessions`), r => `Revoked ${r.deleted}.`);
            await refreshUser();
          }}, 'Revoke all')),
        table([{label: 'Session'}, {label: 'Created'}, {label: 'Last access'}, {label: 'Expires'}, {label: 'Data'}, {label: ''}],
          list.map(s => ({attrs: {'data-session': s.id}, cells: [h('span', {class: 'mono'}, s.id), fmt.time(s.createdAt),
            fmt.time(s.lastAccessedAt), fmt.time(s.expiresAt),
            h('span', {class: 'mono small'}, JSON.stringify(s.data).slice(0, 200)),
            h('button', {type: 'button', class: 'danger', 'data-key': 'revoke:' + s.id, onclick: async () => {
              if (!(await ctx.confirm(`Revoke session ${s.id}?`, 'Revoke'))) return;
              await ctx.act(() => ctx.api.del(`tenants/${seg(ctx.tenant)}/sessions/${seg(s.id)}`), 'Session revoked.');
              await refreshUser();
            }}, 'Revoke')]})),
          'No live session.', `Sessions of ${user}`),
      ]);
    };
    ctx.every(ctx.refreshMs, refresh);
  },
};
