// The Linux release whose code the model follows (each kernel path cites its function there), and
// against which conformance runs lib/test_hmm.c. Reports name it in their kernel configuration.
export const KERNEL_VERSION = '6.1';
