import { LOOKUP_KEY_MAX_LENGTH, type ShipmentLookup } from '@app/shipments';
import { ZIP_MAX_LENGTH } from '../../common/validation';
import { LOCALES, type Language } from '../language';
import { MESSAGES, type FormField, type Messages } from '../messages';
import { PageTime } from '../page-time';
import { buildTimeline } from '../timeline';
import { html, SafeHtml } from './html';
import { conditionGroup, weatherIcon } from './icons';

export const TRACK_PATH = '/track';
export const STYLESHEET_PATH = `${TRACK_PATH}/assets/track.css`;
export const ICON_PATH = `${TRACK_PATH}/assets/icon.svg`;

/** What every page knows: its language, and whether the URL chose it (links then keep it). */
export interface PageContext {
  language: Language;
  chosen: boolean;
}

/** The shipment page's URL, keeping `lang` when the visitor chose it. */
export function shipmentPath(
  carrier: string,
  trackingNumber: string,
  context: PageContext,
  zip?: string,
): string {
  const query = new URLSearchParams();
  if (zip) query.set('zip', zip);
  if (context.chosen) query.set('lang', context.language);
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `${TRACK_PATH}/${encodeURIComponent(carrier)}/${encodeURIComponent(trackingNumber)}${search}`;
}

/** The form's URL, keeping `lang` when the visitor chose it. */
function formPath(context: PageContext): string {
  return context.chosen ? `${TRACK_PATH}?lang=${context.language}` : TRACK_PATH;
}

/** A form's field that keeps the language the visitor chose. */
function languageField(context: PageContext): SafeHtml | '' {
  return context.chosen
    ? html`<input type="hidden" name="lang" value="${context.language}" />`
    : '';
}

/** The same page in the other language. */
function otherLanguageLink(t: Messages, path: string): SafeHtml {
  const [pathname, search = ''] = path.split('?');
  const query = new URLSearchParams(search);
  query.set('lang', t.otherLanguage.language);
  return html`<a
    href="${`${pathname}?${query.toString()}`}"
    hreflang="${t.otherLanguage.language}"
    lang="${t.otherLanguage.language}"
    >${t.otherLanguage.label}</a
  >`;
}

function layout(
  context: PageContext,
  { title, path, body }: { title: string; path: string; body: SafeHtml },
): string {
  const t = MESSAGES[context.language];
  return html`<!doctype html>
    <html lang="${context.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title} – ${t.siteName}</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
        <link rel="icon" href="${ICON_PATH}" type="image/svg+xml" />
      </head>
      <body>
        <header class="site">
          <a class="site__name" href="${formPath(context)}">${t.siteName}</a>
          <nav>${otherLanguageLink(t, path)}</nav>
        </header>
        <main id="main">${body}</main>
      </body>
    </html> `.value;
}

export interface FormValues {
  carrier?: string;
  trackingNumber?: string;
  zip?: string;
}

/** GET /track: the form, with what was entered and what is wrong with it. */
export function formPage(
  context: PageContext,
  {
    values = {},
    errors = {},
    heading,
  }: {
    values?: FormValues;
    errors?: Partial<Record<FormField, string>>;
    heading?: { title: string; text: string };
  } = {},
): string {
  const t = MESSAGES[context.language];
  const field = (name: FormField, hint?: string) => {
    const error = errors[name];
    const described = [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ');
    return html`<div>
      <label for="${name}">${t.form.labels[name]}</label>
      <input
        type="text"
        id="${name}"
        name="${name}"
        value="${values[name] ?? ''}"
        maxlength="${name === 'zip' ? ZIP_MAX_LENGTH : LOOKUP_KEY_MAX_LENGTH}"
        autocomplete="${name === 'zip' ? 'postal-code' : 'off'}"
        spellcheck="false"
        ${name === 'zip' ? '' : new SafeHtml(' required')}${error ? new SafeHtml(' aria-invalid="true"') : ''}${described ? html` aria-describedby="${described}"` : ''}
      />
      ${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
      ${error ? html`<p class="error" id="${name}-error">${error}</p>` : ''}
    </div>`;
  };
  const title = heading?.title ?? t.form.title;
  const hasErrors = Object.keys(errors).length > 0;
  const body = html`<h1>${title}</h1>
    <p class="lead">${heading?.text ?? t.form.intro}</p>
    ${hasErrors ? html`<div class="notice notice--error" role="alert">${t.problems.badRequest}</div>` : ''}
    <form class="stack card" method="get" action="${TRACK_PATH}" novalidate>
      ${field('carrier')} ${field('trackingNumber')} ${field('zip', t.form.zipHint)}
      ${languageField(context)}
      <button type="submit">${t.form.submit}</button>
    </form>`;
  return layout(context, { title, path: formPath(context), body });
}

/** The unknown shipment: says so, and offers the form again with what was asked. */
export function notFoundPage(context: PageContext, values: FormValues): string {
  const t = MESSAGES[context.language];
  return formPage(context, {
    values,
    heading: {
      title: t.notFound.title,
      text: t.notFound.text(values.carrier ?? '', values.trackingNumber ?? ''),
    },
  });
}

/** A page that only says what happened: too many requests, the database away, a bug. */
export function messagePage(context: PageContext, title: string, text: string): string {
  const body = html`<h1>${title}</h1>
    <p class="lead">${text}</p>
    <p>
      <a href="${formPath(context)}">${MESSAGES[context.language].form.title}</a>
    </p>`;
  return layout(context, { title, path: TRACK_PATH, body });
}

/** What the zip gate said to this request. */
export type ZipNotice = 'revealed' | 'mismatch' | { lockedForSeconds: number } | null;

export interface ShipmentPageModel {
  lookup: ShipmentLookup;
  notice: ZipNotice;
  /** The receiver's time zone: every time on the page is written in it. */
  timeZone: string;
}

/** GET /track/{carrier}/{trackingNumber}: status, timeline, history, articles, places, weather. */
export function shipmentPage(context: PageContext, model: ShipmentPageModel): string {
  const t = MESSAGES[context.language];
  const { shipment, revealAddresses } = model.lookup;
  const time = new PageTime(context.language, model.timeZone);
  const path = shipmentPath(shipment.carrier, shipment.trackingNumber, context);
  const title = t.shipment.title(shipment.trackingNumber);

  const body = html`<h1>${title}</h1>
    <p class="lead">${t.shipment.carrier(shipment.carrier)}</p>
    ${zipNotice(t, model.notice)}
    <div class="status">
      <span class="status__now">${t.shipment.statuses[shipment.status]}</span>
      ${shipment.statusSince ? html`<span class="status__since">${t.shipment.since} <time datetime="${PageTime.machine(shipment.statusSince)}">${time.text(shipment.statusSince)}</time></span>` : ''}
    </div>
    <div class="columns">
      <div>
        <section class="card" aria-labelledby="progress-title">
          <h2 id="progress-title">${t.shipment.progress}</h2>
          ${timeline(t, model)}
        </section>
        <section class="card" aria-labelledby="history-title">
          <h2 id="history-title">${t.shipment.history}</h2>
          ${history(t, model, time)}
        </section>
        <section class="card" aria-labelledby="articles-title">
          <h2 id="articles-title">${t.shipment.articles}</h2>
          ${articles(t, context, model)}
        </section>
      </div>
      <div>
        ${weatherCard(t, model, time)}
        <section class="card" aria-labelledby="parties-title">
          <h2 id="parties-title">${t.shipment.addresses}</h2>
          <div class="parties">
            ${party(context, model, 'receiver')} ${party(context, model, 'sender')}
          </div>
        </section>
        ${revealAddresses ? '' : revealForm(t, context, model)}
      </div>
    </div>
    <p class="muted">
      ${t.shipment.timesIn(model.timeZone === 'UTC' ? 'UTC' : model.timeZone.replace(/_/g, ' '))}
    </p>`;
  return layout(context, { title, path, body });
}

function zipNotice(t: Messages, notice: ZipNotice): SafeHtml | '' {
  if (notice === null) return '';
  if (notice === 'revealed') {
    return html`<div class="notice notice--ok" role="status">${t.shipment.revealed}</div>`;
  }
  const text =
    notice === 'mismatch'
      ? t.shipment.zipMismatch
      : t.shipment.zipLocked(Math.max(1, Math.ceil(notice.lockedForSeconds / 60)));
  return html`<div class="notice notice--error" role="alert">${text}</div>`;
}

function timeline(t: Messages, { lookup }: ShipmentPageModel): SafeHtml {
  const steps = buildTimeline(lookup.shipment.status, lookup.shipment.events);
  return html`<ol class="timeline">
    ${steps.map(
      (step) =>
        html`<li
          class="${`step step--${step.state}${step.detour ? ' step--detour' : ''}`}"
          ${step.state === 'current' ? new SafeHtml(' aria-current="step"') : ''}
        >
          <span class="step__dot" aria-hidden="true"></span
          ><span>${t.shipment.statuses[step.status]}</span>
        </li>`,
    )}
  </ol>`;
}

function history(t: Messages, { lookup }: ShipmentPageModel, time: PageTime): SafeHtml {
  const { events } = lookup.shipment;
  if (events.length === 0) return html`<p class="muted">${t.shipment.noHistory}</p>`;
  return html`<ol class="history">
    ${events.map(
      (event) =>
        html`<li>
          <time datetime="${PageTime.machine(event.at)}">${time.text(event.at)}</time
          ><span
            ><strong>${t.shipment.statuses[event.status]}</strong>
            <span class="muted">(${event.carrierStatus})</span></span
          >
        </li>`,
    )}
  </ol>`;
}

function articles(t: Messages, context: PageContext, { lookup }: ShipmentPageModel): SafeHtml {
  const price = new Intl.NumberFormat(LOCALES[context.language], {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return html`<table>
    <thead>
      <tr>
        <th scope="col">${t.shipment.article.name}</th>
        <th scope="col">${t.shipment.article.sku}</th>
        <th scope="col" class="num">${t.shipment.article.quantity}</th>
        <th scope="col" class="num">${t.shipment.article.price}</th>
      </tr>
    </thead>
    <tbody>
      ${lookup.shipment.articles.map(
        (article) =>
          html`<tr>
            <td>${article.name}</td>
            <td>${article.sku}</td>
            <td class="num">${Number(article.quantity)}</td>
            <td class="num">${price.format(Number(article.price))}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function weatherCard(t: Messages, { lookup }: ShipmentPageModel, time: PageTime): SafeHtml {
  const { report, failure } = lookup.weather;
  if (!report) {
    const reason = failure ? t.weather.reasons[failure] : t.weather.reasons.cache_unavailable;
    return html`<section class="card weather" aria-labelledby="weather-title">
      <h2 id="weather-title">${t.weather.title}</h2>
      <p><strong>${t.weather.none}</strong></p>
      <p class="muted weather__reason">${reason}</p>
    </section>`;
  }
  const group = conditionGroup(report.condition);
  const number = (value: number, unit: string) =>
    `${new Intl.NumberFormat(time.locale, { maximumFractionDigits: 0 }).format(value)} ${unit}`;
  return html`<section class="card weather" aria-labelledby="weather-title">
    <h2 id="weather-title">${t.weather.title}</h2>
    <div class="weather__now">
      ${weatherIcon(group)}
      <div>
        <div class="weather__temp">${number(report.temperature, '°C')}</div>
        <div class="weather__condition">${t.weather.conditions[group]}</div>
      </div>
    </div>
    <ul class="weather__details">
      <li>${t.weather.feelsLike(number(report.feelsLike, '°C'))}</li>
      <li>${t.weather.humidity(number(report.humidity, '%'))}</li>
      <li>${t.weather.wind(number(report.windSpeed, 'm/s'))}</li>
      <li>
        ${t.weather.observedAt}
        <time datetime="${PageTime.machine(report.observedAt)}"
          >${time.text(report.observedAt)}</time
        >
      </li>
    </ul>
    ${report.stale ? html`<p><span class="badge weather__stale">${t.weather.stale}</span></p>` : ''}
  </section>`;
}

function party(
  context: PageContext,
  { lookup }: ShipmentPageModel,
  side: 'receiver' | 'sender',
): SafeHtml {
  const t = MESSAGES[context.language];
  const { shipment, revealAddresses } = lookup;
  const place = shipment[side];
  const label = side === 'receiver' ? t.shipment.receiver : t.shipment.sender;
  // The street line and postcode only behind the receiver's postcode, as in the JSON lookup.
  if (revealAddresses) {
    return html`<div class="party party--${side}">
      <p class="party__label">${label}</p>
      <p class="address">${place.line}</p>
    </div>`;
  }
  // The country in the page's language (Deutschland), from its code; as imported without one.
  const country = place.countryCode
    ? (new Intl.DisplayNames([LOCALES[context.language]], { type: 'region' }).of(
        place.countryCode,
      ) ?? place.country)
    : place.country;
  const where = [place.city, country].filter(Boolean).join(', ') || t.shipment.unknownPlace;
  return html`<div class="party party--${side}">
    <p class="party__label">${label}</p>
    <p>
      ${where}${place.countryCode ? html` <span class="muted">(${place.countryCode})</span>` : ''}
    </p>
  </div>`;
}

function revealForm(t: Messages, context: PageContext, { lookup }: ShipmentPageModel): SafeHtml {
  const { carrier, trackingNumber } = lookup.shipment;
  const action = shipmentPath(carrier, trackingNumber, { ...context, chosen: false });
  return html`<section class="card" aria-labelledby="reveal-title">
    <h2 id="reveal-title">${t.shipment.reveal.title}</h2>
    <form class="inline-form" method="get" action="${action}">
      <div>
        <label for="zip">${t.shipment.reveal.label}</label>
        <input
          type="text"
          id="zip"
          name="zip"
          maxlength="${ZIP_MAX_LENGTH}"
          autocomplete="postal-code"
          spellcheck="false"
          required
        />
      </div>
      ${languageField(context)}
      <button type="submit">${t.shipment.reveal.submit}</button>
    </form>
  </section>`;
}
