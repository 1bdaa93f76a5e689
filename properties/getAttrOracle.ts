import { describeReport } from './where.js';
import type { Invariant } from './invariant.js';
import type { AttrReport } from '../model/uapi.js';

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
          expected: `get_attr [${e.start}, ${e.end}) = ${e.want === '0' ? '0' : `-${e.want}`}`,
          actual: e.err === '0' ? '0' : `-${e.err}`,
          message: `get_attr's error disagrees with the uAPI over pid ${e.pid} [${e.start}, ${e.end})`,
        };
      if (e.err === '0' && !sameReport(e.got, e.expect))
        return {
          expected: describeReport(e.expect),
          actual: e.got ? describeReport(e.got) : 'nothing',
          message: `get_attr over pid ${e.pid} [${e.start}, ${e.end}) reports attributes set_attr never gave`,
        };
    }
    return null;
  },
};
