import type { FindingOf, Invariant } from './invariant.js';
import type { AttrReport } from '../model/uapi.js';

/** errno: get_attr's error differs from the uAPI's; report: it succeeded with other attributes. */
export type GetAttrOracleFinding =
  | FindingOf<'errno', { pid: number; start: number; end: number; want: string; err: string }>
  | FindingOf<
      'report',
      { pid: number; start: number; end: number; expect: AttrReport; got: AttrReport | null }
    >;

const sameReport = (a: AttrReport | null, b: AttrReport): boolean =>
  !!a &&
  a.preferred === b.preferred &&
  a.prefetch === b.prefetch &&
  a.gran === b.gran &&
  a.flagsAnd === b.flagsAnd &&
  a.flagsOr === b.flagsOr &&
  a.access === b.access &&
  a.aip === b.aip;

export const getAttrOracle: Invariant = {
  id: 'get-attr-oracle',
  cls: 'range',
  meaning:
    'get_attr reports what a trivially correct per-page map of every set_attr so far says, aggregated by the kernel rules.',
  transition: true,
  events: ['svm-get-attr'],
  check(_s, events) {
    for (const e of events) {
      if (e.e !== 'svm-get-attr' || e.racy) continue;
      if (e.err !== e.want)
        return {
          code: 'errno',
          at: { pid: e.pid, vpn: e.start },
          data: { pid: e.pid, start: e.start, end: e.end, want: e.want, err: e.err },
        } satisfies GetAttrOracleFinding;
      if (e.err === '0' && !sameReport(e.got, e.expect))
        return {
          code: 'report',
          at: { pid: e.pid, vpn: e.start },
          data: { pid: e.pid, start: e.start, end: e.end, expect: e.expect, got: e.got },
        } satisfies GetAttrOracleFinding;
    }
    return null;
  },
};
