import type { Explanation } from './explanation.js';

/** The tags a fix's commit carries, as kernel patches write them. */
export function footerLines(x: Explanation): string[] {
  return [`Reported-by: ${x.footer.reportedBy}`, `Link: ${x.footer.link}`];
}
