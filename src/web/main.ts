import { pageBackend } from './backend.js';
import { h, tx } from './dom.js';
import { explain } from './errors.js';
import { language, setLanguage, translate } from './i18n/index.js';
import { followUpView } from './views/followup.js';
import { submitView } from './views/submit.js';

// Entry point of the denouncer page. Nothing here touches storage, cookies, the URL or
// history: the receipt lives only in memory, in the view that shows it.

type ViewName = 'submit' | 'followUp';

function languageSwitch(): HTMLButtonElement {
  const b = tx('button', 'app.lang.switch', undefined, { type: 'button', class: 'lang', lang: 'en' });
  b.addEventListener('click', () => {
    const next = language() === 'vi' ? 'en' : 'vi';
    setLanguage(next);
    // The button names the other language, in that language.
    b.setAttribute('lang', next === 'vi' ? 'en' : 'vi');
  });
  return b;
}

function navigation(views: Record<ViewName, HTMLElement>): { nav: HTMLElement; show(name: ViewName): void } {
  const buttons: HTMLButtonElement[] = [];
  const show = (name: ViewName) => {
    for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset['view'] === name));
    views[name].querySelector<HTMLElement>('h2')?.focus();
  };
  for (const name of ['submit', 'followUp'] as const) {
    const key = name === 'submit' ? 'app.nav.submit' : 'app.nav.followUp';
    const b = tx('button', key, undefined, { type: 'button', 'data-view': name, 'aria-pressed': String(name === 'submit') });
    b.addEventListener('click', () => show(name));
    buttons.push(b);
  }
  const nav = h('nav', { class: 'tabs' }, ...buttons);
  translate(nav, 'app.nav.label', undefined, 'aria-label');
  return { nav, show };
}

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const title = document.getElementById('app-title');
  if (title) translate(title, 'app.title');

  // The first view needs no crypto code: it is drawn at once, and the backend (the
  // larger part of the page's code) is fetched once the agency list is in, so the two
  // do not share the slow link.
  const followUp = followUpView(pageBackend);
  let nav: ReturnType<typeof navigation> | undefined;
  const submit = submitView(pageBackend, (receipt) => {
    nav?.show('followUp');
    void followUp.openWith(receipt);
  });
  followUp.element.hidden = true;
  nav = navigation({ submit: submit.element, followUp: followUp.element });

  const backendNote = h('p', { id: 'backend-note' });
  const footer = h('footer', { class: 'foot' }, tx('p', 'app.privacy'), backendNote);
  document.querySelector('header.top')?.append(languageSwitch(), nav.nav);
  root.replaceChildren(submit.element, followUp.element, footer);
  setLanguage(language());
  void submit.listed.finally(() =>
    pageBackend().then(
      (be) => translate(backendNote, be.name === 'noble' ? 'app.backend.noble' : 'app.backend.sodium'),
      (err: unknown) => {
        backendNote.className = 'msg msg-error';
        translate(backendNote, explain(err).key);
      },
    ),
  );
}

start();
