/** The generated history covers the two years up to the store's `now`. */
export const HISTORY_MS = 730 * 86_400_000;
