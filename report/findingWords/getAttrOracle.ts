import { match } from 'ts-pattern';
import type { GetAttrOracleFinding } from '../../properties/getAttrOracle.js';
import type { Words } from '../../properties/invariant.js';
import { describeReport } from '../pageWords.js';

export function getAttrOracleWords(f: GetAttrOracleFinding): Words {
  return match(f)
    .with({ code: 'errno' }, ({ data: d }) => ({
      expected: `get_attr [${d.start}, ${d.end}) = ${d.want === '0' ? '0' : `-${d.want}`}`,
      actual: d.err === '0' ? '0' : `-${d.err}`,
      message: `get_attr's error disagrees with the uAPI over pid ${d.pid} [${d.start}, ${d.end})`,
    }))
    .with({ code: 'report' }, ({ data: d }) => ({
      expected: describeReport(d.expect),
      actual: d.got ? describeReport(d.got) : 'nothing',
      message: `get_attr over pid ${d.pid} [${d.start}, ${d.end}) reports attributes set_attr never gave`,
    }))
    .exhaustive();
}
