// The console's one stylesheet, served from /admin/console.css (the CSP allows no inline
// style). System fonts, contrast above WCAG AA, a visible focus ring.
export const CONSOLE_CSS = `
:root { color-scheme: light; --fg: #1a1a1a; --muted: #4a4a4a; --bg: #fff; --line: #d0d0d0; --accent: #0b57d0; --bad: #a00000; --ok: #0a6b2d; --warn: #7a4b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
.bar { display: flex; justify-content: space-between; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; color: var(--fg); text-decoration: none; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button { font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
button.link { background: none; color: var(--accent); border: none; text-decoration: underline; padding: 0; }
input, select { font: inherit; padding: .35rem .5rem; border: 1px solid var(--muted); border-radius: 4px; }
.stack { display: grid; gap: .4rem; max-width: 28rem; }
.row { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: .3rem 0; }
.status { font-weight: 600; }
.status.succeeded { color: var(--ok); }
.status.partial { color: var(--warn); }
.status.failed, .error { color: var(--bad); }
.tag { font-size: .85em; padding: 0 .3rem; border: 1px solid var(--line); border-radius: 3px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .92em; }
code.wrap { word-break: break-all; }
.counts { display: flex; gap: 1.5rem; flex-wrap: wrap; }
.counts div { display: flex; flex-direction: column; }
.counts dd { margin: 0; font-size: 1.4rem; font-weight: 700; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
