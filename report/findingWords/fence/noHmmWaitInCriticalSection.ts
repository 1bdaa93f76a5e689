import type { NoHmmWaitInCriticalSectionFinding } from '../../../properties/fence/noHmmWaitInCriticalSection.js';
import type { Words } from '../../../properties/invariant.js';
import { sectionWords } from './sectionWords.js';

export function noHmmWaitInCriticalSectionWords(f: NoHmmWaitInCriticalSectionFinding): Words {
  const d = f.data;
  const cs = d.sections.map(sectionWords);
  return {
    expected: `no wait on hmm_fence ${d.fence} inside ${cs.join(', ')}`,
    actual: `${d.why}, holding ${d.held.join(', ')}`,
    message: `hmm_fence ${d.fence} is waited for inside ${cs.join(' and ')}: its job may be stalled on a page fault that cannot be resolved until that section ends`,
  };
}
