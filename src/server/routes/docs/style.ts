// The reference page's stylesheet: a file of its own (the document CSP allows no inline
// style), kept as text here so the bundled server (dist/tipline.js) carries it.

export const REFERENCE_CSS = `
:root { color-scheme: light dark; --line: #8884; --muted: #777; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; display: grid; grid-template-columns: 18rem 1fr; }
header { grid-column: 1 / -1; padding: 1rem 2rem; border-bottom: 1px solid var(--line); }
nav { padding: 1rem; border-right: 1px solid var(--line); font-size: 13px; position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; }
nav ul { list-style: none; padding-left: .75rem; margin: 0; }
main { padding: 1rem 2rem; min-width: 0; }
h1 small { color: var(--muted); font-weight: normal; }
.op { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
.op h3 { margin: .25rem 0; font-size: 1rem; }
.method { display: inline-block; min-width: 4rem; text-align: center; border-radius: 4px; color: #fff; font-size: 12px; padding: 2px 6px; }
.get { background: #2b6cb0; } .post { background: #2f855a; } .put { background: #b7791f; } .delete { background: #c53030; } .patch { background: #6b46c1; }
.summary { font-weight: 600; margin: .25rem 0; }
.security { color: var(--muted); font-size: 13px; }
h4 { margin: .75rem 0 .25rem; font-size: 14px; }
h5 { margin: 0; font-size: 13px; display: inline; margin-right: .5rem; }
.response { padding: .25rem .5rem; border-left: 3px solid var(--line); margin: .25rem 0; }
.response.s2 { border-color: #2f855a; } .response.s4 { border-color: #b7791f; } .response.s5 { border-color: #c53030; }
.response p { display: inline; margin: 0; }
.response p.media { display: block; margin-top: .25rem; font-size: 12px; }
.fields { margin: .25rem 0; padding-left: 1.25rem; font-size: 13px; }
.type { color: #6b46c1; font-family: ui-monospace, monospace; font-size: 12px; }
.optional, .notes { color: var(--muted); font-size: 12px; }
.codes code { margin-right: .25rem; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid var(--line); padding: 2px 6px; text-align: left; vertical-align: top; }
code { font-family: ui-monospace, monospace; }
@media (max-width: 800px) { body { display: block; } nav { display: none; } }
`;
