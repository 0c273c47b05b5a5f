import { useEffect, useRef, useState } from 'preact/hooks';
import { setLanguage, t, type Language, type MessageKey } from './i18n/index.js';
import { IDLE_MINUTES, personName, signOut, type ConsoleSession } from './session.js';
import { offeredSections, type Section } from './sections.js';
import { SignIn } from './views/sign-in.js';

// The console's one piece of state: who is signed in (in memory), which section is shown
// (sections.ts), and the language. Views switch in place; nothing goes in the URL or
// history, so a case number never lands in the browser's history file.

const IDLE_MS = IDLE_MINUTES * 60_000;

export function App({ backend }: { backend: string }) {
  const [lang, setLang] = useState<Language>('vi');
  const [session, setSession] = useState<ConsoleSession | null>(null);
  const [sections, setSections] = useState<Section[] | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  // Bumped on each click of the top bar, so that choosing the section one is in starts it afresh (back to the inbox).
  const [visit, setVisit] = useState(0);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  setLanguage(lang);

  function end(why: MessageKey) {
    if (session) void signOut(session);
    setSession(null);
    setSections(null);
    setCurrent(null);
    setNotice(why);
  }

  useEffect(() => {
    if (!session) return;
    void offeredSections(session).then((offered) => {
      setSections(offered);
      setCurrent(offered[0]?.id ?? null);
    });
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

  const shown = sections?.find((s) => s.id === current);
  return (
    <>
      <header class="top">
        <h1>{t('app.title')}</h1>
        <nav aria-label={t('app.lang.label')}>
          <button type="button" lang={lang === 'vi' ? 'en' : 'vi'} onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>{t('app.lang.switch')}</button>
          {session && <>
            <span class="who">{t('top.signedInAs', { name: personName(session, session.staffId) })}</span>
            {sections && sections.length > 1 && sections.map((s) => (
              <button key={s.id} type="button" aria-current={s.id === current ? 'page' : undefined}
                onClick={() => { setCurrent(s.id); setVisit((n) => n + 1); }}>{t(s.label)}{s.Badge && <s.Badge session={session} generation={visit} />}</button>
            ))}
            <button type="button" onClick={() => end('signin.loggedOut')}>{t('top.logout')}</button>
          </>}
        </nav>
      </header>
      <main id="main">
        {!session && <SignIn notice={notice} onSignedIn={(s) => { setNotice(null); setSession(s); }} />}
        {session && sections && !shown && <p class="panel" role="status">{t('top.noCasework')}</p>}
        {session && shown && <shown.View key={`${shown.id}-${visit}`} session={session} sections={sections ?? []}
          open={(id) => { setCurrent(id); setVisit((n) => n + 1); }} />}
      </main>
      <footer><p>{t('app.backend', { backend })}</p></footer>
    </>
  );
}
