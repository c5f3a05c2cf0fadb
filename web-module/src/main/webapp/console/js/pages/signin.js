// Sign-in: paste a bearer token (a MicroProfile JWT). The console asks the server who it belongs to
// (GET /api/v1/whoami); a refused token gets the server's reason.
import {ApiError} from '../api.js';
import {h, fill, notice} from '../dom.js';

export default {
  message: null,

  render({root, signIn}) {
    const message = h('div', {id: 'signin-message'});
    if (this.message) fill(message, notice(/^Signed out/.test(this.message) ? null : 'warn', this.message));
    this.message = null;
    const field = h('textarea', {id: 'token', name: 'token', required: true, spellcheck: 'false', autocomplete: 'off',
      'aria-describedby': 'token-help', placeholder: 'eyJhbGciOiJSUzI1NiIs…'});
    const button = h('button', {type: 'submit', class: 'primary', id: 'sign-in'}, 'Sign in');
    const form = h('form', {class: 'stack', id: 'signin-form'},
      h('label', {for: 'token'}, 'Bearer token'),
      field,
      h('p', {id: 'token-help', class: 'muted small'},
        'A token of your tenant shows that tenant; a token of the admin group shows every tenant and lets you switch. ',
        'The token stays in this browser tab only (session storage) and is sent to this server alone. ',
        'With ./run.sh: the token it prints, or ./mint-token.sh <tenant> [--admin].'),
      h('div', {class: 'actions'}, button));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const token = field.value.trim();
      if (!token) {
        fill(message, notice('error', 'Paste a token first.'));
        field.focus();
        return;
      }
      button.disabled = true;
      fill(message, h('p', {class: 'muted'}, 'Checking the token…'));
      try {
        await signIn(token);
      } catch (err) {
        let text;
        if (err instanceof ApiError && err.status === 401) {
          text = `This token was refused by the server: ${err.message}.`;
        } else if (err instanceof ApiError && err.status === 0) {
          text = `The server could not be reached: ${err.message}`;
        } else {
          text = `Sign-in failed: ${err instanceof ApiError ? err.status + ' ' : ''}${err.message}`;
        }
        fill(message, notice('error', text));
        button.disabled = false;
        field.focus();
      }
    });
    fill(root, h('section', {class: 'signin panel', 'aria-labelledby': 'signin-title'},
      h('h1', {id: 'signin-title'}, 'Sign in to the Crew Redis console'), message, form));
    field.focus();
  },
};
