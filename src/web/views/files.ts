import { h, tx, uid } from '../dom.js';
import { formatSize, translate } from '../i18n/index.js';

// Chosen files and their upload progress. A File is only a handle: its bytes are read
// and sealed chunk by chunk at upload time, never held whole in memory.

export interface PickedFile {
  file: File;
  /** Bytes of this file the server holds so far, out of `total` (the file's size). */
  setProgress(sent: number, total: number): void;
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
  /** Called with the bytes sent and the bytes to send over all files, on every change. */
  onProgress(listener: (sent: number, total: number) => void): void;
}

export interface ProgressBar {
  element: HTMLDivElement;
  set(sent: number, total: number): void;
}

/**
 * A bar of bytes sent out of bytes to send: role=progressbar with its values, and the
 * same figures in words beside it, so the number is read out and seen, not only a colour.
 */
export function progressBar(labelledBy: string): ProgressBar {
  const fill = h('div', { class: 'bar-fill' });
  const track = h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-labelledby': labelledBy }, fill);
  const words = h('span', { class: 'bar-words' });
  const element = h('div', { class: 'bar-row' }, track, words);
  const set = (sent: number, total: number) => {
    const percent = total === 0 ? 100 : Math.floor((sent / total) * 100);
    track.setAttribute('aria-valuemax', String(total));
    track.setAttribute('aria-valuenow', String(sent));
    const params = { sent: formatSize(sent), total: formatSize(total), percent };
    translate(track, 'files.sent', params, 'aria-valuetext');
    translate(words, 'files.sent', params);
    // CSSOM, not a style attribute: the page's CSP allows no inline style.
    fill.style.width = `${percent}%`;
  };
  set(0, 0);
  return { element, set };
}

interface Entry { row: HTMLLIElement; picked: PickedFile; sent(): number; reveal(): void }

function entry(file: File, remove: (e: PickedFile) => void, changed: () => void): Entry {
  const name = h('span', { class: 'file-name', id: uid('file') }, file.name);
  const bar = progressBar(name.id);
  bar.element.hidden = true;
  const state = h('span', { class: 'file-state', 'aria-live': 'polite' });
  const removeButton = tx('button', 'files.remove', { name: file.name }, { type: 'button', class: 'link' });
  const row = h('li', { class: 'file' }, name, h('span', { class: 'file-size' }, formatSize(file.size)), removeButton, bar.element, state);
  let done = false;
  let sent = 0;
  const show = (bytes: number) => {
    sent = bytes;
    bar.element.hidden = false;
    bar.set(bytes, file.size);
    changed();
  };
  const picked: PickedFile = {
    isDone: () => done,
    file,
    setProgress(bytes, total) {
      show(total === 0 ? file.size : Math.min(file.size, bytes));
    },
    setDone() {
      done = true;
      show(file.size);
      translate(state, 'files.done', { name: file.name });
      state.className = 'file-state ok';
    },
    setFailed() {
      translate(state, 'files.failed', { name: file.name });
      state.className = 'file-state error';
    },
  };
  removeButton.addEventListener('click', () => remove(picked));
  return { row, picked, sent: () => sent, reveal: () => show(sent) };
}

export function filePicker(labelKey: 'files.label' | 'followup.addFiles' = 'files.label'): FilePicker {
  const input = h('input', { type: 'file', multiple: true, id: uid('files') });
  const list = h('ul', { class: 'files' });
  let entries: Entry[] = [];
  const listeners: ((sent: number, total: number) => void)[] = [];
  const changed = () => {
    const total = entries.reduce((n, e) => n + e.picked.file.size, 0);
    const sent = entries.reduce((n, e) => n + e.sent(), 0);
    for (const l of listeners) l(sent, total);
  };
  const remove = (p: PickedFile) => {
    entries = entries.filter((e) => {
      if (e.picked !== p) return true;
      e.row.remove();
      return false;
    });
  };
  input.addEventListener('change', () => {
    for (const file of Array.from(input.files ?? [])) {
      const e = entry(file, remove, changed);
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
      // Hidden with its label, not left in the page unlabelled.
      input.hidden = locked;
      chooser.hidden = locked;
      hint.hidden = locked;
      for (const b of list.querySelectorAll('button')) b.hidden = locked;
      // Locked means on their way: each bar shows from 0, before the first batch is in.
      if (locked) for (const e of entries) e.reveal();
    },
    onProgress(listener) {
      listeners.push(listener);
      changed();
    },
  };
}
