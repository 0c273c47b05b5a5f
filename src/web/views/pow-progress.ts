import { secondsLeft, type PowProgress } from '../../client/pow.js';
import { h } from '../dom.js';
import { translate } from '../i18n/index.js';

// The proof of work, shown as it goes: a bar over its puzzles and, once the first is
// solved and the rate of this device is known, about how long the rest will take. No
// promise made before the device has been measured.

export interface PowProgressView {
  element: HTMLElement;
  update(progress: PowProgress): void;
  reset(): void;
}

export function powProgress(): PowProgressView {
  const bar = h('progress', { max: '1', value: '0' });
  const text = h('p', { class: 'hint' });
  const element = h('div', { class: 'pow-progress', hidden: true }, bar, text);
  // Tries when the current puzzle began: the bar moves within a puzzle too.
  let solved = 0;
  let triesBefore = 0;
  return {
    element,
    update(p) {
      element.hidden = false;
      if (p.solved !== solved) [solved, triesBefore] = [p.solved, p.tries];
      // A puzzle tried for as long as one takes on average is drawn at most 90 % done:
      // the search is memoryless, and a full step the bar cannot take would look stuck.
      const current = p.solved < p.puzzles ? Math.min(0.9, (p.tries - triesBefore) / 2 ** p.difficulty) : 0;
      bar.value = (p.solved + current) / p.puzzles;
      const left = secondsLeft(p);
      const params = { solved: p.solved, puzzles: p.puzzles, seconds: left === undefined ? 0 : Math.max(1, Math.ceil(left)) };
      translate(text, left === undefined ? 'pow.measuring' : 'pow.left', params);
      translate(bar, 'pow.bar', params, 'aria-label');
    },
    reset() {
      element.hidden = true;
      [solved, triesBefore] = [0, 0];
      bar.value = 0;
    },
  };
}
