import type { ConditionGroup } from '../messages';
import { html, SafeHtml } from './html';

const CLOUD = 'M9 22h15a5 5 0 0 0 0-10 7 7 0 0 0-13.3-1.5A5.5 5.5 0 0 0 9 22z';

/** Weather icons as inline SVG (no file, no other origin); the text next to them says the same. */
const ICONS: Record<ConditionGroup, SafeHtml> = {
  clear: html`<circle cx="16" cy="16" r="6" fill="#f2a900" /><path
      d="M16 3v4M16 25v4M3 16h4M25 16h4M6.8 6.8l2.8 2.8M22.4 22.4l2.8 2.8M6.8 25.2l2.8-2.8M22.4 9.6l2.8-2.8"
      stroke="#f2a900"
      stroke-width="2.2"
      stroke-linecap="round"
    />`,
  clouds: html`<path d="${CLOUD}" fill="#8a94a3" />`,
  rain: html`<path d="${CLOUD}" fill="#8a94a3" transform="translate(0 -4)" /><path
      d="M11 22l-2 5M17 22l-2 5M23 22l-2 5"
      stroke="#1f6fc5"
      stroke-width="2.2"
      stroke-linecap="round"
    />`,
  snow: html`<path d="${CLOUD}" fill="#8a94a3" transform="translate(0 -4)" /><g fill="#5a8fd0"
      ><circle cx="11" cy="25" r="1.8" /><circle cx="17" cy="27" r="1.8" /><circle
        cx="23"
        cy="25"
        r="1.8"
    /></g>`,
  thunder: html`<path d="${CLOUD}" fill="#6b7380" transform="translate(0 -4)" /><path
      d="M17 18l-4 7h4l-2 6 6-9h-4l2-4z"
      fill="#f2a900"
    />`,
  fog: html`<path
    d="M6 11h20M4 16h24M7 21h18M9 26h14"
    stroke="#8a94a3"
    stroke-width="2.4"
    stroke-linecap="round"
  />`,
  unknown: html`<circle
      cx="16"
      cy="16"
      r="11"
      fill="none"
      stroke="#8a94a3"
      stroke-width="2.2"
    /><path
      d="M12.5 12.5a3.5 3.5 0 1 1 5 3.2c-1 .5-1.5 1.2-1.5 2.3v.5"
      fill="none"
      stroke="#8a94a3"
      stroke-width="2.2"
      stroke-linecap="round"
    /><circle cx="16" cy="22.5" r="1.4" fill="#8a94a3" />`,
};

/** OpenWeatherMap's and our WMO mapping's condition groups, to the icons we draw. */
const GROUPS = new Map<string, ConditionGroup>([
  ['clear', 'clear'],
  ['clouds', 'clouds'],
  ['rain', 'rain'],
  ['drizzle', 'rain'],
  ['squall', 'rain'],
  ['snow', 'snow'],
  ['thunderstorm', 'thunder'],
  ['tornado', 'thunder'],
  ['fog', 'fog'],
  ['mist', 'fog'],
  ['haze', 'fog'],
  ['smoke', 'fog'],
  ['dust', 'fog'],
  ['sand', 'fog'],
  ['ash', 'fog'],
]);

export function conditionGroup(condition: string): ConditionGroup {
  return GROUPS.get(condition.toLowerCase()) ?? 'unknown';
}

export function weatherIcon(group: ConditionGroup): SafeHtml {
  return html`<svg class="weather__icon" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    ${ICONS[group]}
  </svg>`;
}
