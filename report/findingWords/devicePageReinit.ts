import type { DevicePageReinitFinding } from '../../properties/devicePageReinit.js';
import type { Words } from '../../properties/invariant.js';
import { pageRefName } from '../pageWords.js';

export function devicePageReinitWords(f: DevicePageReinitFinding): Words {
  const page = pageRefName(f.data.page);
  return {
    expected: `${page} free before zone_device_page_init`,
    actual: 'it was still referenced (an old holder will put it later)',
    message: `zone_device_page_init on ${page} while a reference to its previous life is still held`,
  };
}
