import { useEffect, useRef, useState } from 'preact/hooks';
import type { ListedCase } from '../client/staff.js';
import { CASEWORK_ROLES } from '../domain/index.js';
import { setLanguage, t, type Language, type MessageKey } from './i18n/index.js';
import { hasCustodyView } from './custody.js';
import { IDLE_MINUTES, personName, signOut, type ConsoleSession } from './session.js';
import { CaseView } from './views/case-view.js';
import { Custody } from './views/custody.js';
import { Inbox } from './views/inbox.js';
import { SignIn } from './views/sign-in.js';

// The console's one piece of state: who is signed in (in memory), which case is open,
// and the language. Views switch in place; nothing goes in the URL or history, so a
// case number never lands in the browser's history file.

const IDLE_MS = IDLE_MINUTES * 60_000;

export function App({ backend }: { backend: string }) {
  const [lang, setLang] = useState<Language>('vi');
  const [session, setSession] = useState<ConsoleSession | null>(null);
  const [open, setOpen] = useState<ListedCase | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [custody, setCustody] = useState<'hidden' | 'offered' | 'open'>('hidden');
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  setLanguage(lang);

  function end(why: MessageKey) {
    if (session) void signOut(session);
    setSession(null);
    setOpen(null);
    setCustody('hidden');
    setNotice(why);
  }

  // Custodians who do no casework have no inbox: they land on their requests.
  const casework = session !== null && CASEWORK_ROLES.some((r) => session.client.session.roles.includes(r));
  useEffect(() => {
    if (session) void hasCustodyView(session).then((yes) => yes && setCustody(casework ? 'offered' : 'open'), () => undefined);
  }, [session]);

  // Locks after IDLE_MINUTES without a key press or pointer use: the keys are wiped.
  useEffect(() => {
    if (!session) return undefined;
    const arm = () => {
      clearTimeout(idle.current);
      idle.current = setTimeout(() => end('signin.expired'), IDLE_MS);
    };
    arm();
    const events = ['keydown', 'pointerdown'] as const;
    for (const e of events) document.addEventListener(e, arm);
    return () => {
      clearTimeout(idle.current);
      for (const e of events) document.removeEventListener(e, arm);
    };
  }, [session]);

  // Closing or reloading the tab forgets everything anyway; this also ends the server session.
  useEffect(() => {
    if (!session) return undefined;
    const leave = () => { void signOut(session); };
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, [session]);

  return (
    <>
      <header class="top">
        <h1>{t('app.title')}</h1>
        <nav aria-label={t('app.lang.label')}>
          <button type="button" lang={lang === 'vi' ? 'en' : 'vi'} onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>{t('app.lang.switch')}</button>
          {session && <>
            <span class="who">{t('top.signedInAs', { name: personName(session, session.staffId) })}</span>
            {casework && (open || custody === 'open') && <button type="button" onClick={() => { setOpen(null); setCustody('offered'); }}>{t('top.inbox')}</button>}
            {custody === 'offered' && <button type="button" onClick={() => { setOpen(null); setCustody('open'); }}>{t('custody.nav')}</button>}
            <button type="button" onClick={() => end('signin.loggedOut')}>{t('top.logout')}</button>
          </>}
        </nav>
      </header>
      <main id="main">
        {!session && <SignIn notice={notice} onSignedIn={(s) => { setNotice(null); setSession(s); }} />}
        {session && custody === 'open' && <Custody session={session} />}
        {session && !casework && custody !== 'open' && <p class="panel" role="status">{t('top.noCasework')}</p>}
        {session && casework && custody !== 'open' && !open && <Inbox session={session} onOpen={setOpen} />}
        {session && casework && custody !== 'open' && open && <CaseView key={open.caseId} session={session} listed={open} onBack={() => setOpen(null)} onOpen={setOpen} />}
      </main>
      <footer><p>{t('app.backend', { backend })}</p></footer>
    </>
  );
}
