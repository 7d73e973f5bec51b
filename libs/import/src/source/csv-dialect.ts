/** The delimiters a header line is searched for, in the order a tie is settled. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** How a delimiter is named in messages: a tab is invisible. */
export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tabs' : `"${delimiter}"`;
}

/**
 * The delimiter a header line uses: the candidate it has most of outside quotes (a header
 * `"Name, first";Tracking` is `;`-separated). A line with none of them is one column, read as
 * comma-separated, so the missing-column message says what was found.
 */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: string = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/**
 * `--delimiter`: one character (`\t` and `tab` for a tab), not a quote or a line break.
 * @throws Error saying what is accepted.
 */
export function checkDelimiterOption(value: string): string {
  const delimiter = value === '\\t' || value.toLowerCase() === 'tab' ? '\t' : value;
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new Error(
      `--delimiter must be one character such as , ; | or \\t (tab); got ${JSON.stringify(value)}`,
    );
  }
  return delimiter;
}

/**
 * How a header name is compared: case, surrounding spaces and the choice among space, `-` and
 * `_` don't matter (`Tracking Number`, `tracking-number` and `TRACKING_NUMBER` are one).
 */
export function headerKey(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

/** Whether this delimiter leaves the comma free to be a decimal comma in prices. */
export function allowsDecimalComma(delimiter: string): boolean {
  return delimiter === ';' || delimiter === '\t';
}
