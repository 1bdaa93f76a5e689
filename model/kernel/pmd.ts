// Page-table geometry of x86-64: a pmd (one page-table page) maps 512 pages (2 MiB). Walks such as
// hmm_range_fault() and change_protection() work pmd by pmd; virtual page 0 is pmd-aligned.
export const PMD_PAGES = 512;

/** The first virtual page after the pmd that maps vpn. */
export function pmdEnd(vpn: number): number {
  return (Math.floor(vpn / PMD_PAGES) + 1) * PMD_PAGES;
}
