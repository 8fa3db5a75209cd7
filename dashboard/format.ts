// Numbers and names as a marketer reads them: short, rounded to what the
// eye can compare, and field names turned into words when no label is set.

const grouped = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** A raw value with about three significant digits, never in exponent form; '–' when there is none. */
export function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return grouped.format(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return String(Number(v.toFixed(digits)));
}

/** A share or probability as a percentage: whole points, one decimal under 10%. */
export function fmtPercent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  const pct = p * 100;
  const digits = pct !== 0 && Math.abs(pct) < 10 ? 1 : 0;
  return `${Number(pct.toFixed(digits))}%`;
}

/** A metric in [0, 1] such as AUC or F1, to two decimals. */
export const fmtScore = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2));

export const fmtCount = (n: number) => grouped.format(n);

/** `monthly_spend` → "Monthly spend", `seatCount` → "Seat count". */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : name;
}

/** Calendar date of an ISO time stamp, e.g. "1 Jan 2026" (UTC, as the trainer stamps it). */
export function fmtDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Decimal places a number is written with (0.25 → 2), capped at 6. */
export function decimals(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return 0;
  const s = String(v);
  const e = s.indexOf('e-');
  if (e >= 0) return Math.min(6, Number(s.slice(e + 2)));
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : Math.min(6, s.length - dot - 1);
}
