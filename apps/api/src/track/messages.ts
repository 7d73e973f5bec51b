import type { CanonicalStatus } from '@app/shipments';
import type { WeatherFailure } from '@app/weather';
import type { Language } from './language';

/** A condition group as the icons know it. */
export type ConditionGroup = 'clear' | 'clouds' | 'rain' | 'snow' | 'thunder' | 'fog' | 'unknown';

export type FormField = 'carrier' | 'trackingNumber' | 'zip';

/** Every text of the tracking pages, in one language. */
export interface Messages {
  siteName: string;
  otherLanguage: { language: Language; label: string };
  form: {
    title: string;
    intro: string;
    labels: Record<FormField, string>;
    zipHint: string;
    submit: string;
    required: (field: FormField) => string;
    invalid: (field: FormField) => string;
  };
  notFound: {
    title: string;
    text: (carrier: string, trackingNumber: string) => string;
    /** A path under /track that is no page. */
    page: string;
  };
  shipment: {
    title: (trackingNumber: string) => string;
    carrier: (carrier: string) => string;
    /** Before the time the status has held since. */
    since: string;
    statuses: Record<CanonicalStatus, string>;
    progress: string;
    history: string;
    noHistory: string;
    articles: string;
    article: { name: string; sku: string; quantity: string; price: string };
    addresses: string;
    receiver: string;
    sender: string;
    unknownPlace: string;
    reveal: { title: string; label: string; submit: string };
    revealed: string;
    zipMismatch: string;
    zipLocked: (minutes: number) => string;
    /** The times' zone, as the page says it. */
    timesIn: (zone: string) => string;
  };
  weather: {
    title: string;
    conditions: Record<ConditionGroup, string>;
    feelsLike: (degrees: string) => string;
    humidity: (percent: string) => string;
    wind: (speed: string) => string;
    /** Before the reading's time. */
    observedAt: string;
    stale: string;
    none: string;
    reasons: Record<WeatherFailure, string>;
  };
  problems: {
    badRequest: string;
    rateLimited: { title: string; text: (seconds: number) => string };
    unavailable: { title: string; text: (seconds: number) => string };
    internal: { title: string; text: string };
  };
}

const en: Messages = {
  siteName: 'Shipment tracking',
  otherLanguage: { language: 'de', label: 'Deutsch' },
  form: {
    title: 'Track your parcel',
    intro: 'Enter the carrier and the tracking number from your shipping confirmation.',
    labels: { carrier: 'Carrier', trackingNumber: 'Tracking number', zip: 'Postcode (optional)' },
    zipHint: "With the receiver's postcode you also see the full addresses.",
    submit: 'Track',
    required: (field) => `Enter the ${en.form.labels[field].toLowerCase()}.`,
    invalid: (field) =>
      field === 'zip'
        ? 'The postcode can have at most 16 characters, without control characters.'
        : `The ${en.form.labels[field].toLowerCase()} can have at most 64 characters, without control or invisible characters.`,
  },
  notFound: {
    title: "We can't find this shipment",
    page: 'There is no such page',
    text: (carrier, trackingNumber) =>
      `There is no shipment with carrier “${carrier}” and tracking number “${trackingNumber}”. Check both and try again.`,
  },
  shipment: {
    title: (trackingNumber) => `Shipment ${trackingNumber}`,
    carrier: (carrier) => `with ${carrier}`,
    since: 'since',
    statuses: {
      info_received: 'Information received',
      in_transit: 'In transit',
      out_for_delivery: 'Out for delivery',
      failed_attempt: 'Delivery attempt failed',
      available_for_pickup: 'Ready for pickup',
      delivered: 'Delivered',
      exception: 'Problem with the shipment',
      unknown: 'Status unknown',
    },
    progress: 'Progress',
    history: 'History',
    noHistory: 'No history recorded yet.',
    articles: 'Contents',
    article: { name: 'Item', sku: 'SKU', quantity: 'Qty', price: 'Price' },
    addresses: 'Addresses',
    receiver: 'Delivery to',
    sender: 'From',
    unknownPlace: 'Not known',
    reveal: {
      title: 'See the full addresses',
      label: "Receiver's postcode",
      submit: 'Show addresses',
    },
    revealed: 'The postcode matches: the full addresses are shown.',
    zipMismatch: "That postcode isn't the receiver's. The addresses stay hidden.",
    zipLocked: (minutes) =>
      `Too many wrong postcodes for this shipment. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    timesIn: (zone) => `Times in ${zone}.`,
  },
  weather: {
    title: 'Weather at the destination',
    conditions: {
      clear: 'Clear',
      clouds: 'Cloudy',
      rain: 'Rain',
      snow: 'Snow',
      thunder: 'Thunderstorm',
      fog: 'Fog',
      unknown: 'Unknown',
    },
    feelsLike: (degrees) => `feels like ${degrees}`,
    humidity: (percent) => `humidity ${percent}`,
    wind: (speed) => `wind ${speed}`,
    observedAt: 'Observed',
    stale: 'Not current: the weather service is not answering, this is the last reading.',
    none: 'No weather available',
    reasons: {
      no_location: "The receiver's address has no place we can look up.",
      not_found: 'The weather service does not know this place.',
      timeout: 'The weather service did not answer in time.',
      unavailable: 'The weather service cannot be reached right now.',
      rate_limited: 'The weather service is busy right now.',
      unauthorized: 'The weather service refused our request.',
      invalid_response: 'The weather service sent an answer we cannot read.',
      budget_exhausted: 'Weather lookups are used up for today.',
      circuit_open: 'The weather service is failing; we try again shortly.',
      cache_unavailable: 'The weather is unavailable right now.',
    },
  },
  problems: {
    badRequest: 'Please check what you entered.',
    rateLimited: {
      title: 'Too many requests',
      text: (seconds) => `Please wait ${seconds} seconds and try again.`,
    },
    unavailable: {
      title: 'Tracking is unavailable right now',
      text: (seconds) => `Please try again in ${seconds} seconds.`,
    },
    internal: { title: 'Something went wrong', text: 'Please try again later.' },
  },
};

const de: Messages = {
  siteName: 'Sendungsverfolgung',
  otherLanguage: { language: 'en', label: 'English' },
  form: {
    title: 'Sendung verfolgen',
    intro:
      'Geben Sie den Versanddienstleister und die Sendungsnummer aus Ihrer Versandbestätigung ein.',
    labels: {
      carrier: 'Versanddienstleister',
      trackingNumber: 'Sendungsnummer',
      zip: 'Postleitzahl (optional)',
    },
    zipHint: 'Mit der Postleitzahl des Empfängers sehen Sie auch die vollständigen Adressen.',
    submit: 'Verfolgen',
    required: (field) =>
      field === 'carrier'
        ? 'Bitte geben Sie den Versanddienstleister ein.'
        : field === 'trackingNumber'
          ? 'Bitte geben Sie die Sendungsnummer ein.'
          : 'Bitte geben Sie die Postleitzahl ein.',
    invalid: (field) =>
      field === 'zip'
        ? 'Die Postleitzahl darf höchstens 16 Zeichen haben, ohne Steuerzeichen.'
        : `${field === 'carrier' ? 'Der Versanddienstleister' : 'Die Sendungsnummer'} darf höchstens 64 Zeichen haben, ohne Steuer- oder unsichtbare Zeichen.`,
  },
  notFound: {
    title: 'Diese Sendung finden wir nicht',
    page: 'Diese Seite gibt es nicht',
    text: (carrier, trackingNumber) =>
      `Es gibt keine Sendung mit Versanddienstleister „${carrier}“ und Sendungsnummer „${trackingNumber}“. Bitte prüfen Sie beides und versuchen Sie es erneut.`,
  },
  shipment: {
    title: (trackingNumber) => `Sendung ${trackingNumber}`,
    carrier: (carrier) => `mit ${carrier}`,
    since: 'seit',
    statuses: {
      info_received: 'Daten übermittelt',
      in_transit: 'Unterwegs',
      out_for_delivery: 'In Zustellung',
      failed_attempt: 'Zustellversuch fehlgeschlagen',
      available_for_pickup: 'Zur Abholung bereit',
      delivered: 'Zugestellt',
      exception: 'Problem mit der Sendung',
      unknown: 'Status unbekannt',
    },
    progress: 'Fortschritt',
    history: 'Verlauf',
    noHistory: 'Noch kein Verlauf erfasst.',
    articles: 'Inhalt',
    article: { name: 'Artikel', sku: 'Artikelnr.', quantity: 'Menge', price: 'Preis' },
    addresses: 'Adressen',
    receiver: 'Lieferung an',
    sender: 'Von',
    unknownPlace: 'Unbekannt',
    reveal: {
      title: 'Vollständige Adressen anzeigen',
      label: 'Postleitzahl des Empfängers',
      submit: 'Adressen anzeigen',
    },
    revealed: 'Die Postleitzahl stimmt: Die vollständigen Adressen werden angezeigt.',
    zipMismatch: 'Diese Postleitzahl ist nicht die des Empfängers. Die Adressen bleiben verborgen.',
    zipLocked: (minutes) =>
      `Zu viele falsche Postleitzahlen für diese Sendung. Bitte versuchen Sie es in ${minutes} Minute${minutes === 1 ? '' : 'n'} erneut.`,
    timesIn: (zone) => `Zeiten in ${zone}.`,
  },
  weather: {
    title: 'Wetter am Zielort',
    conditions: {
      clear: 'Klar',
      clouds: 'Bewölkt',
      rain: 'Regen',
      snow: 'Schnee',
      thunder: 'Gewitter',
      fog: 'Nebel',
      unknown: 'Unbekannt',
    },
    feelsLike: (degrees) => `gefühlt ${degrees}`,
    humidity: (percent) => `Luftfeuchte ${percent}`,
    wind: (speed) => `Wind ${speed}`,
    observedAt: 'Gemessen',
    stale: 'Nicht aktuell: Der Wetterdienst antwortet nicht, dies ist die letzte Messung.',
    none: 'Kein Wetter verfügbar',
    reasons: {
      no_location: 'Die Adresse des Empfängers enthält keinen Ort, den wir finden können.',
      not_found: 'Der Wetterdienst kennt diesen Ort nicht.',
      timeout: 'Der Wetterdienst hat nicht rechtzeitig geantwortet.',
      unavailable: 'Der Wetterdienst ist gerade nicht erreichbar.',
      rate_limited: 'Der Wetterdienst ist gerade ausgelastet.',
      unauthorized: 'Der Wetterdienst hat unsere Anfrage abgelehnt.',
      invalid_response: 'Die Antwort des Wetterdienstes ist unlesbar.',
      budget_exhausted: 'Die Wetterabfragen für heute sind aufgebraucht.',
      circuit_open: 'Der Wetterdienst hat Störungen; wir versuchen es gleich wieder.',
      cache_unavailable: 'Das Wetter ist gerade nicht verfügbar.',
    },
  },
  problems: {
    badRequest: 'Bitte prüfen Sie Ihre Eingabe.',
    rateLimited: {
      title: 'Zu viele Anfragen',
      text: (seconds) => `Bitte warten Sie ${seconds} Sekunden und versuchen Sie es erneut.`,
    },
    unavailable: {
      title: 'Die Sendungsverfolgung ist gerade nicht verfügbar',
      text: (seconds) => `Bitte versuchen Sie es in ${seconds} Sekunden erneut.`,
    },
    internal: {
      title: 'Etwas ist schiefgegangen',
      text: 'Bitte versuchen Sie es später erneut.',
    },
  },
};

export const MESSAGES: Record<Language, Messages> = { en, de };
