// Reading date cells the way exports write them (ISO, `2011/10/06`, US
// `10/6/2011 16:20`, European `6.10.2011`) into days since 1970-01-01 UTC, so
// recency is plain subtraction. Time of day becomes a fraction of a day.

const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const EU = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export type DateFix = 'trimmed' | 'us-date' | 'dotted-date';

const DAY_MS = 86_400_000;

function days(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number {
  if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return NaN;
  const t = Date.UTC(y, m - 1, d, hh, mm, ss);
  // Date.UTC rolls 31 February over into March; a real export never means that.
  if (new Date(t).getUTCDate() !== d) return NaN;
  return t / DAY_MS;
}

const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));

/** Days since the epoch (UTC) and the fix that was needed; NaN when not a date. */
export function parseDateCell(raw: string): { value: number; fix: DateFix | null } {
  const s = raw.trim();
  let fix: DateFix | null = s !== raw ? 'trimmed' : null;
  let m = ISO.exec(s);
  if (m) return { value: days(+m[1], +m[2], +m[3], num(m[4]), num(m[5]), num(m[6])), fix };
  m = US.exec(s);
  if (m) {
    const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    // Month first, as US exports (and the UCI Online Retail file) write it, unless that cannot be.
    const [mo, d] = Number(m[1]) > 12 ? [+m[2], +m[1]] : [+m[1], +m[2]];
    fix ??= 'us-date';
    return { value: days(year, mo, d, num(m[4]), num(m[5]), num(m[6])), fix };
  }
  m = EU.exec(s);
  if (m) {
    fix ??= 'dotted-date';
    return { value: days(+m[3], +m[2], +m[1], num(m[4]), num(m[5]), num(m[6])), fix };
  }
  return { value: NaN, fix: null };
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  return new Date(Math.floor(day) * DAY_MS).toISOString().slice(0, 10);
}
