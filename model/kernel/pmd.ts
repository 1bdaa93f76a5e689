// Page-table geometry: a pmd (one page-table page) maps pmdPages(cfg) pages. x86-64 maps 512 (2 MiB)
// and that is the default (Config.pmdPages absent); a small scope may set a few pages so that a PMD
// (a huge pmd, a PMD-sized hole, a device-private THP) fits in its address space. Walks such as
// hmm_range_fault() and change_protection() work pmd by pmd; virtual page 0 is pmd-aligned.
import type { Config } from '../config.js';

/** HPAGE_PMD_NR on x86-64 with 4 KiB pages. */
export const DEFAULT_PMD_PAGES = 512;

/** HPAGE_PMD_NR of the configuration: the pages one pmd maps. */
export function pmdPages(cfg: Pick<Config, 'pmdPages'>): number {
  return cfg.pmdPages ?? DEFAULT_PMD_PAGES;
}

/** The index of the pmd that maps vpn. */
export function pmdIndex(cfg: Pick<Config, 'pmdPages'>, vpn: number): number {
  return Math.floor(vpn / pmdPages(cfg));
}

/** The first virtual page of the pmd that maps vpn (vpn & HPAGE_PMD_MASK). */
export function pmdStart(cfg: Pick<Config, 'pmdPages'>, vpn: number): number {
  return pmdIndex(cfg, vpn) * pmdPages(cfg);
}

/** The first virtual page after the pmd that maps vpn. */
export function pmdEnd(cfg: Pick<Config, 'pmdPages'>, vpn: number): number {
  return pmdStart(cfg, vpn) + pmdPages(cfg);
}
