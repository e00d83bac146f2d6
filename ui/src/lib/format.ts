// Formatting for people: money in the user's locale with the currency's own decimals, dates in
// local time. Rust sends amounts in minor units with their exponent; nothing here guesses it.

export type MoneyLike = { amount: number; currency: string; exponent: number };

/** The user's locale as a valid BCP 47 tag. Under LANG=C or POSIX WebKit reports "C", which Intl
 * refuses; fall back to what Intl resolves by itself, then to en-US. */
export function locale(): string {
  const candidates = [
    typeof navigator !== "undefined" ? navigator.language : undefined,
    new Intl.NumberFormat().resolvedOptions().locale,
  ];
  return candidates.find(isValidLocale) ?? "en-US";
}

export function isValidLocale(tag: string | undefined): tag is string {
  if (!tag) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** "$1,234.56", "¥1,284,000", "-€3.10" in the given locale. */
export function formatMoney(m: MoneyLike, loc: string = locale()): string {
  const value = m.amount / 10 ** m.exponent;
  return new Intl.NumberFormat(loc, {
    style: "currency",
    currency: m.currency.toUpperCase(),
    minimumFractionDigits: m.exponent,
    maximumFractionDigits: m.exponent,
  }).format(value);
}

/** "3 minutes ago" style, for "last synced". */
export function formatRelative(iso: string, now: Date = new Date(), loc: string = locale()): string {
  const then = new Date(iso);
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(loc, { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, "second");
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), "hour");
  return rtf.format(Math.round(seconds / 86400), "day");
}

/** Full local date and time with the time zone, for tooltips. */
export function formatDateTime(iso: string | number, loc: string = locale(), timeZone?: string): string {
  const date = typeof iso === "number" ? new Date(iso * 1000) : new Date(iso);
  // dateStyle/timeStyle cannot be combined with timeZoneName, so name the fields.
  return new Intl.DateTimeFormat(loc, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(date);
}

/** Local date only, e.g. "Dec 2, 2026". */
export function formatDate(unixSeconds: number, loc: string = locale(), timeZone?: string): string {
  return new Intl.DateTimeFormat(loc, { dateStyle: "medium", timeZone }).format(new Date(unixSeconds * 1000));
}

/** "US" → "United States" in the user's language, falling back to the code. */
export function countryName(code: string, loc: string = locale()): string {
  try {
    return new Intl.DisplayNames([loc], { type: "region" }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Stripe requirement paths in words: "representative.verification.document" → "Representative verification document". */
export function requirementInWords(path: string): string {
  const words = path.replace(/[._]/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
