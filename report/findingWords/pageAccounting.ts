import { match } from 'ts-pattern';
import type { Words } from '../../properties/invariant.js';
import type { PageAccountingFinding } from '../../properties/pageAccounting.js';
import { pageRefName } from '../pageWords.js';

export function pageAccountingWords(f: PageAccountingFinding): Words {
  const d = f.data;
  const bad = match(f.code)
    .with('mapcount', () => `mapcount ${d.map} but ${d.ptes} page-table entries map it`)
    .with('free-ref', () => `${d.free ? 'free' : 'allocated'} with refcount ${d.ref}`)
    .with('ref-below-map', () => `refcount ${d.ref} below mapcount ${d.map}`)
    .exhaustive();
  return {
    expected: `${pageRefName(d.page)}: consistent refcount and mapcount`,
    actual: bad,
    message: `struct page accounting broken for ${pageRefName(d.page)}: ${bad}`,
  };
}
