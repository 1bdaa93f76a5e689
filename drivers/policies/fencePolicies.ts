// The fence policies shipped with svmcheck: the reference and one broken policy per rule.
import type { Driver } from '../../model/driver.js';
import { allDmaFences } from './allDmaFences.js';
import { allocInSignalling } from './allocInSignalling.js';
import { fenceReference } from './fenceReference.js';
import { lateHmmWait } from './lateHmmWait.js';
import { notifierWaitsHmm } from './notifierWaitsHmm.js';
import { resvInversion } from './resvInversion.js';

export const FENCE_POLICIES: readonly Driver[] = [
  fenceReference,
  allDmaFences,
  notifierWaitsHmm,
  allocInSignalling,
  resvInversion,
  lateHmmWait,
];
