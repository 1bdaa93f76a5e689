// The error codes procedures return, as the kernel's negative errno values (and the signal a CPU
// fault ends in). Procedures return 0 on success and one of these otherwise.
/**
 * What a procedure may return instead of 0: the kernel's errno names (include/uapi/asm-generic/
 * errno-base.h, errno.h) the modelled paths use, and SIGBUS (VM_FAULT_SIGBUS from a CPU fault).
 */
export type Errno =
  | 'EACCES'
  | 'EADDRINUSE'
  | 'EAGAIN'
  | 'EBUSY'
  | 'EEXIST'
  | 'EFAULT'
  | 'EINVAL'
  | 'ENOENT'
  | 'ENOMEM'
  | 'EOPNOTSUPP'
  | 'EPERM'
  | 'ESRCH'
  | 'SIGBUS';
