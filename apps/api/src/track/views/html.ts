import escapeHtml from 'escape-html';

/** Markup that is already safe: made by `html`, never from outside text. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

type Interpolated = SafeHtml | string | number | null | undefined | false | Interpolated[];

/**
 * The page's only way to make markup: a template whose every interpolated value is escaped,
 * unless it is SafeHtml (another `html` template); arrays are joined, and null, undefined and
 * false are left out. Text from a CSV or a URL can't become markup by forgetting to escape it.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1];
  });
  return new SafeHtml(out);
}

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}
