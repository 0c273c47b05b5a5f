import { h, tx, uid } from '../dom.js';
import { formatSize, translate } from '../i18n/index.js';

// Chosen files and their upload progress. A File is only a handle: its bytes are read
// and sealed chunk by chunk at upload time, never held whole in memory.

export interface PickedFile {
  file: File;
  setProgress(fraction: number): void;
  setDone(): void;
  setFailed(): void;
  isDone(): boolean;
}

export interface FilePicker {
  element: HTMLElement;
  picked(): PickedFile[];
  clear(): void;
  /** Locks the list while an upload runs: no removing a file mid-flight. */
  lock(locked: boolean): void;
}

function entry(file: File, remove: (e: PickedFile) => void): { row: HTMLLIElement; picked: PickedFile } {
  const bar = h('progress', { max: '1', value: '0', hidden: true });
  const state = h('span', { class: 'file-state', 'aria-live': 'polite' });
  const removeButton = tx('button', 'files.remove', { name: file.name }, { type: 'button', class: 'link' });
  const row = h(
    'li',
    { class: 'file' },
    h('span', { class: 'file-name' }, file.name),
    h('span', { class: 'file-size' }, formatSize(file.size)),
    removeButton,
    bar,
    state,
  );
  bar.id = uid('bar');
  const percent = (fraction: number) => Math.floor(fraction * 100);
  let done = false;
  const picked: PickedFile = {
    isDone: () => done,
    file,
    setProgress(fraction) {
      bar.hidden = false;
      bar.value = fraction;
      translate(bar, 'files.progress', { name: file.name, percent: percent(fraction) }, 'aria-label');
    },
    setDone() {
      done = true;
      bar.hidden = false;
      bar.value = 1;
      translate(state, 'files.done', { name: file.name });
      state.className = 'file-state ok';
    },
    setFailed() {
      translate(state, 'files.failed', { name: file.name });
      state.className = 'file-state error';
    },
  };
  removeButton.addEventListener('click', () => remove(picked));
  return { row, picked };
}

export function filePicker(labelKey: 'files.label' | 'followup.addFiles' = 'files.label'): FilePicker {
  const input = h('input', { type: 'file', multiple: true, id: uid('files') });
  const list = h('ul', { class: 'files' });
  let entries: { row: HTMLLIElement; picked: PickedFile }[] = [];
  const remove = (p: PickedFile) => {
    entries = entries.filter((e) => {
      if (e.picked !== p) return true;
      e.row.remove();
      return false;
    });
  };
  input.addEventListener('change', () => {
    for (const file of Array.from(input.files ?? [])) {
      const e = entry(file, remove);
      entries.push(e);
      list.append(e.row);
    }
    // Cleared so the same file can be picked again after removing it.
    input.value = '';
  });
  // The native control names its button in the browser's language, not the page's:
  // it is hidden visually (still focusable) and its label is drawn as the button.
  input.className = 'visually-hidden file-input';
  const hint = tx('p', 'files.hint', undefined, { class: 'hint', id: uid('hint') });
  input.setAttribute('aria-describedby', hint.id);
  const chooser = tx('label', labelKey, undefined, { for: input.id, class: 'button file-button' });
  const element = h('div', { class: 'field' }, hint, input, chooser, list);
  return {
    element,
    picked: () => entries.map((e) => e.picked),
    clear() {
      entries = [];
      list.replaceChildren();
    },
    lock(locked) {
      input.disabled = locked;
      chooser.hidden = locked;
      for (const b of list.querySelectorAll('button')) b.hidden = locked;
    },
  };
}
