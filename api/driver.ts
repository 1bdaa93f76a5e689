// svmcheck's public entry point for driver authors (`import ... from 'svmcheck/driver'`): what a
// driver module needs, and nothing it must not rely on. docs/writing-a-driver.md is the guide.
//
// A driver is plain data plus procedures: explicit state machines whose steps return goto /
// yieldTo (a preemption point) / spinTo (a retry loop) / invoke (a call) / ret / block. Locals are
// plain data (numbers, strings, arrays): the checker copies, hashes and compares them.

// Defining a driver and its procedures.
export { defineDriver } from './defineDriver.js';
export { defineDriverProc } from './defineDriverProc.js';
export type { DriverProc } from './DriverProc.js';
export { invoke } from './invoke.js';
export type { Callee } from './Callee.js';
export { kernel, type HmmRangeArgs, type MigrateVmaArgs } from './kernel.js';
export { withSteps, type VariantInfo } from './withSteps.js';
export { stepOf } from './stepOf.js';

// Extension points by path: --invariant, --suite, --scope (explore), --kernel-patch.
export { defineInvariant } from './defineInvariant.js';
export type { Finding, Invariant } from '../properties/invariant.js';
export type { Event } from '../model/events.js';
export { defineSuite } from './defineSuite.js';
export { suite } from './suite.js';
export type { Profile as Suite } from '../generators/profiles.js';
export type { OpKind } from '../model/ops.js';
export { defineScope } from './defineScope.js';
export { scope } from './scope.js';
export type { Scope } from '../explore/scope.js';
export { defineKernelPatch } from './defineKernelPatch.js';
export { patchKernelSteps } from './patchKernelSteps.js';
export type { KernelPatch } from '../model/kernelPatch.js';

// The built-in correct drivers, to vary with withSteps, and the locals their steps use.
export { mirror } from '../drivers/mirror.js';
export { reference } from '../drivers/reference.js';
export { gpusvm } from '../drivers/gpusvm.js';
export type { MirrorFaultLocals } from '../drivers/mirror/mirrorGpuFault.js';
export type { MirrorInvalidateLocals } from '../drivers/mirror/mirrorInvalidate.js';
export type { MirrorMigrateLocals } from '../drivers/mirror/mirrorMigrate.js';
export type { MirrorMigrateRangeLocals } from '../drivers/mirror/mirrorMigrateRange.js';
export type { MirrorMigrateToRamLocals } from '../drivers/mirror/mirrorMigrateToRam.js';
export { mirrorLock } from '../drivers/mirror/mirrorLock.js';
export { mirrorReachable } from '../drivers/mirror/mirrorReachable.js';
export { mirrorRangeFault } from '../drivers/mirror/mirrorGpuFault.js';
export type { SvmFaultLocals, SvmRamLocals } from '../drivers/svm/svmFault.js';
export type { SvmSetAttrLocals } from '../drivers/svm/svmAttrs.js';
export type { SvmMapLocals } from '../drivers/svm/svmMap.js';
export { svmMapOnGpus } from '../drivers/svm/svmMap.js';
export type { SvmMigrateVmaLocals } from '../drivers/svm/svmMigrate.js';
export { SVM_FILL_RULES, svmFillFromBo, svmNewBo, type SvmFillRules } from '../drivers/svm/svmMigrate.js';
export type { SvmEvictLocals } from '../drivers/svm/svmEvict.js';
export type { SvmDeferredWorkLocals, SvmInvalidateLocals } from '../drivers/svm/svmNotifier.js';

// Step results and the step environment.
export {
  block,
  bump,
  call,
  count,
  defineProc,
  emit,
  goto,
  ret,
  spinTo,
  yieldTo,
  type Env,
  type Handler,
  type Proc,
  type StepResult,
} from '../model/proc.js';
export type { Errno } from '../model/errno.js';
export { lockOrBlock } from '../model/lockOrBlock.js';
export { spawn } from '../model/engine.js';

// The kernel API a driver calls back into (each models the kernel function it is named after).
export { isLocked, mmapLock, pageLock, tryLock, unlock } from '../model/locks.js';
export { gpuMap, gpuPte, gpuZap } from '../model/gpu.js';
export { notifierInsert, notifierRemove, readBegin, readRetry, setSeq } from '../model/notifier.js';
export {
  allocDevPage,
  allocSysPage,
  getPage,
  isDevicePage,
  isDevicePrivate,
  putPage,
  vmaAt,
} from '../model/mem.js';
export { migrateVmaFinalize, migrationById, type Select, type SetupResult } from '../model/kernel/migrate.js';
export { PFN_ERROR, PFN_NONE, pfnPage, pfnWrite, type HmmReq, type HmmResult } from '../model/kernel/hmm.js';
export { DRV, GPU, PAGES, driverState, driverStateView, mut } from '../model/touched.js';
export { KernelBug } from '../model/kernelBug.js';

// The types a driver is written against.
export type {
  BoView,
  BrokenInfo,
  CatalogLayer,
  Driver,
  DriverEntryPoint,
  InvariantClass,
  RangeView,
} from '../model/driver.js';
export type { Activity, Config, GpuPte, Page, Pte, State, SvmAttrs, Vma, Wait } from '../model/types.js';
// A model of shipped code's open findings (Driver.openFindings): upstream behaviour, each an archived
// open case with the predicate that recognises it in a failed run.
export type { FailureView, OpenFinding, OpenFindingEntry } from '../model/openFinding.js';
