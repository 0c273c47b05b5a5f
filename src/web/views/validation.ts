import { tx } from '../dom.js';
import type { MessageKey } from '../i18n/index.js';

// What the submission form checks before anything is sealed or sent. Nothing is said
// while the person first types; a send attempt marks every field in error (aria-invalid,
// one message per problem, focus on the first). From then on each input or change clears
// a field's mark and its message as soon as the field is right, and never adds one: a
// new complaint waits for the next attempt, so a screen reader is not told of an error
// on every keystroke.

export interface Rule {
  control: HTMLElement;
  message: MessageKey;
  valid(): boolean;
}

export interface Validator {
  /** A send attempt: true when every rule holds; otherwise marks, says and focuses. */
  check(): boolean;
}

export function liveValidation(form: HTMLElement, errors: HTMLElement, rules: () => Rule[]): Validator {
  let flagged: Rule[] = [];

  const show = () => errors.replaceChildren(...[...new Set(flagged.map((r) => r.message))].map((key) => tx('p', key, undefined, { class: 'msg msg-error' })));

  function settle(): void {
    if (flagged.length === 0) return;
    // A rule no longer asked (the anonymous track drops the identity fields) holds too.
    const asked = new Set(rules().map((r) => r.control));
    const still = flagged.filter((r) => asked.has(r.control) && !r.valid());
    if (still.length === flagged.length) return;
    for (const r of flagged) if (!still.includes(r)) r.control.removeAttribute('aria-invalid');
    flagged = still;
    show();
  }
  form.addEventListener('input', settle);
  form.addEventListener('change', settle);

  return {
    check() {
      for (const r of flagged) r.control.removeAttribute('aria-invalid');
      flagged = rules().filter((r) => !r.valid());
      for (const r of flagged) r.control.setAttribute('aria-invalid', 'true');
      show();
      flagged[0]?.control.focus();
      return flagged.length === 0;
    },
  };
}
