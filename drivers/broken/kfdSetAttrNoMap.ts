// kfd whose set_attr, with XNACK off, does not map a range whose access attributes changed
// (svm_range_apply_attrs' update_mapping for ACCESS lost): its set_attr 'map' step replaced
// (withSteps), the rest of that step kfd's own (stepOf).
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { kfd } from '../kfd.js';
import type { KfdSetAttrLocals } from '../kfd/kfdSetAttr.js';

const kfdMap = stepOf<KfdSetAttrLocals>(kfd, 'set_attr', 'map');
const mapsByItself = (t: string): boolean => t === 'set_flags' || t === 'clr_flags';

export const kfdSetAttrNoMap: Driver = defineDriver({
  ...withSteps<KfdSetAttrLocals>(
    kfd,
    'set_attr',
    {
      map(env, l, r) {
        // The bug: update_mapping only for flags, as with XNACK on; ACCESS alone maps nothing.
        if (!l.migrated && !l.attrs.some((a) => mapsByItself(a.t))) return goto('next');
        return kfdMap(env, l, r);
      },
    },
    {
      name: 'kfd-set-attr-no-map',
      summary: 'kfd (XNACK off) whose set_attr does not map a range on the GPUs given access',
      broken: {
        bug: 'with XNACK off a GPU cannot fault: a set_attr that grants access and returns without mapping leaves the GPU a fatal fault on memory it may use',
        fix: 'kfd_svm.c svm_range_apply_attrs(): for ACCESS, ACCESS_IN_PLACE and NO_ACCESS "if (!p->xnack_enabled) *update_mapping = true", and svm_range_set_attr maps every such range (read at 006ad514a50c)',
        expects: 'coherence',
        layer: 'svm_range',
        scenario: [
          'XNACK off: a process registers a mapped VMA with set_attr ACCESS for a GPU',
          'set_attr returns 0 with no GPU PTE; the GPU access that follows is fatal',
        ],
      },
    },
  ),
  suite: 'xnack-off',
});
