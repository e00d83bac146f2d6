// The fee form's text ⇄ integer conversions: percentages as basis points ("2.9" ⇄ 290) and
// amounts as the currency's minor units, by string arithmetic so no float rounding creeps in.

/** "2.9" → 290, "2.75" → 275, "3" → 300; null when it is not a percentage with ≤ 2 decimals. */
export function percentToBp(text: string): number | null {
  const t = text.trim().replace(/%$/, "").trim();
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** 290 → "2.9", 300 → "3", 275 → "2.75". */
export function bpToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}

/** A whole number of minor units typed ("30", "1000000"); null otherwise. */
export function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d{1,15}$/.test(t) ? Number(t) : null;
}
