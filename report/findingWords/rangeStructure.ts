import { match } from 'ts-pattern';
import type { SvmAttrs } from '../../model/types.js';
import type { Words } from '../../properties/invariant.js';
import type { RangeStructureFinding } from '../../properties/rangeStructure.js';
import { va } from '../pageWords.js';

const show = (a: SvmAttrs | null): string => (a ? JSON.stringify(a) : 'unregistered');

export function rangeStructureWords(f: RangeStructureFinding): Words {
  return match(f)
    .with({ code: 'empty' }, ({ data: d }) => ({
      expected: 'start <= last',
      actual: `range [${d.start}, ${d.last}]`,
      message: 'an svm_range with no pages',
    }))
    .with({ code: 'overlap' }, ({ data: d }) => ({
      expected: `${va(d.pid, d.vpn)} in one svm_range`,
      actual: `in [${d.first[0]}, ${d.first[1]}] and [${d.second[0]}, ${d.second[1]}]`,
      message: `svm_ranges overlap at ${va(d.pid, d.vpn)}`,
    }))
    .with({ code: 'attrs' }, ({ data: d }) => ({
      expected: `${va(d.pid, d.vpn)}: ${show(d.want)}`,
      actual: d.range ? `svm_range [${d.range[0]}, ${d.range[1]}] with ${show(d.have)}` : 'no svm_range',
      message: `svm_range list disagrees with what set_attr registered at ${va(d.pid, d.vpn)}`,
    }))
    .exhaustive();
}
