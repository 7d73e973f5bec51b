/**
 * The tracking pages' stylesheet, served as a file of this origin (/track/assets/track.css) so
 * the CSP needs no inline style. Mobile first; two columns from 56rem. Colours keep WCAG AA
 * contrast on white (axe checks them in the browser test).
 */
export const TRACK_CSS = `
:root {
  --text: #1b1f24; --muted: #4a5260; --line: #d5dae1; --surface: #f4f6f8; --accent: #0b5cad;
  --done: #17663a; --warn: #8a4b00; --problem: #a11a1a; --radius: 0.6rem;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; line-height: 1.5; color: var(--text); background: #fff; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.site { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 0.75rem 1rem; border-bottom: 1px solid var(--line); }
.site__name { font-weight: 700; text-decoration: none; color: var(--text); }
main { max-width: 68rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 0.25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 0.75rem; }
.lead { color: var(--muted); margin: 0 0 1rem; }
.card { border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; margin: 0 0 1rem; background: #fff; }
.status { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.75rem; margin: 0 0 1rem; }
.status__now { font-size: 1.25rem; font-weight: 700; }
.status__since { color: var(--muted); }
.notice { border-radius: var(--radius); padding: 0.75rem 1rem; margin: 0 0 1rem; border: 1px solid; }
.notice--ok { border-color: var(--done); background: #eef8f1; }
.notice--error { border-color: var(--problem); background: #fdf0f0; }
.timeline { list-style: none; margin: 0; padding: 0; }
.step { position: relative; display: flex; align-items: center; gap: 0.75rem; padding: 0.4rem 0; color: var(--muted); }
.step__dot { position: relative; z-index: 1; flex: none; width: 1.1rem; height: 1.1rem; border-radius: 50%; border: 2px solid #7a828e; background: #fff; }
/* The way between the steps: a line from each dot to the next, solid where the parcel has been. */
.step:not(:last-child)::after { content: ""; position: absolute; left: calc(0.55rem - 1px); top: 1.2rem; bottom: -0.6rem; width: 2px; background: var(--line); }
.step--done:not(:last-child)::after { background: var(--done); }
.step--done { color: var(--text); }
.step--done .step__dot { background: var(--done); border-color: var(--done); }
.step--current { color: var(--text); font-weight: 700; }
.step--current .step__dot { background: var(--accent); border-color: var(--accent); box-shadow: 0 0 0 4px #cfe2f7; }
.step--detour .step__dot { border-radius: 0.2rem; }
.step--detour.step--done .step__dot { background: var(--warn); border-color: var(--warn); }
.step--detour.step--current .step__dot { background: var(--problem); border-color: var(--problem); box-shadow: 0 0 0 4px #f6d2d2; }
.history { list-style: none; margin: 0; padding: 0; }
.history li { display: grid; gap: 0.1rem; padding: 0.5rem 0; border-top: 1px solid var(--line); }
.history li:first-child { border-top: 0; }
.history time, .muted { color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 0.4rem 0.3rem; border-top: 1px solid var(--line); vertical-align: top; }
thead th { border-top: 0; color: var(--muted); font-weight: 600; }
.num { text-align: right; white-space: nowrap; }
.weather__now { display: flex; align-items: center; gap: 0.75rem; }
.weather__icon { width: 3.5rem; height: 3.5rem; flex: none; }
.weather__temp { font-size: 2rem; font-weight: 700; line-height: 1; }
.weather__details { margin: 0.75rem 0 0; padding: 0; list-style: none; color: var(--muted); }
.badge { display: inline-block; border-radius: 999px; padding: 0.1rem 0.6rem; font-size: 0.9rem; font-weight: 600; background: #fff4e0; color: var(--warn); border: 1px solid var(--warn); }
.parties { display: grid; gap: 1rem; }
.parties p { margin: 0; }
.party__label { color: var(--muted); font-size: 0.95rem; }
.address { white-space: pre-line; }
form.stack { display: grid; gap: 0.9rem; max-width: 30rem; }
label { display: block; font-weight: 600; margin-bottom: 0.2rem; }
input[type="text"] { width: 100%; font: inherit; padding: 0.55rem 0.7rem; border: 1px solid #6b7380; border-radius: 0.4rem; }
input[aria-invalid="true"] { border-color: var(--problem); border-width: 2px; }
.hint { color: var(--muted); font-size: 0.95rem; margin: 0.2rem 0 0; }
.error { color: var(--problem); font-weight: 600; margin: 0.2rem 0 0; }
button { font: inherit; font-weight: 600; padding: 0.6rem 1.2rem; border: 0; border-radius: 0.4rem; background: var(--accent); color: #fff; cursor: pointer; justify-self: start; }
.inline-form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
.inline-form div { flex: 1 1 12rem; }
@media (min-width: 56rem) {
  .columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; }
  .timeline { display: flex; gap: 0.5rem; }
  .step { flex: 1 1 0; flex-direction: column; align-items: flex-start; gap: 0.4rem; padding: 0; font-size: 0.95rem; }
  .step:not(:last-child)::after { left: 1.3rem; right: -0.5rem; top: calc(0.55rem - 1px); bottom: auto; width: auto; height: 2px; }
  .parties { grid-template-columns: 1fr 1fr; }
}
`;

/** The tab icon: a parcel, as a file of this origin. */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="4" y="8" width="24" height="20" rx="2" fill="#0b5cad"/><path d="M4 12h24M16 8v20" stroke="#fff" stroke-width="2"/></svg>`;
