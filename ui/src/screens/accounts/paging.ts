// The accounts list's pages: what the caption says, and the next page appended to what is shown.

/** Rows asked for at a time. */
export const PAGE = 100;

/** "1 restaurant", "100,000 restaurants": how many match, not how many are shown. */
export function restaurantsCaption(total: number, locale?: string): string {
  return `${total.toLocaleString(locale)} ${total === 1 ? "restaurant" : "restaurants"}`;
}

/**
 * The next page after what is shown. A restaurant whose place in the order changed between the
 * two pages (a sync ran) could come twice; it is kept where it was first shown.
 */
export function appendPage<T extends { gateway: string; id: string }>(shown: T[], next: T[]): T[] {
  const seen = new Set(shown.map((r) => `${r.gateway}:${r.id}`));
  return [...shown, ...next.filter((r) => !seen.has(`${r.gateway}:${r.id}`))];
}

/** Whether "Show more" is offered: fewer rows shown than match. */
export function hasMore(shown: number, total: number): boolean {
  return shown < total;
}
