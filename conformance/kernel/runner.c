// SPDX-License-Identifier: MIT
/*
 * runner.c - svmcheck kernel conformance runner (runs inside the QEMU guest).
 *
 * Usage: runner PROGRAMS_FILE
 *
 * Executes a batch of small "operation programs" against the kernel's
 * lib/test_hmm.c driver (/dev/hmm_dmirror0..3) and prints one JSON line per
 * step on stdout, each prefixed by the marker "@@SVM " (so it can be picked
 * out of a serial console that also carries kernel messages).
 *
 * ---------------------------------------------------------------- input ----
 * Line protocol (one token list per line, whitespace separated):
 *   - blank lines and lines whose first non-blank character is '#' are ignored
 *   - "program <id>" opens a program (<id> is a decimal integer, reported as
 *     "p"), "end" closes it; steps appear one per line in between.
 *   - numbers accept decimal or 0x-hex (strtoul/strtol base 0).
 *   - <slot> is 0..63; it names a region created by a previous "mmap" step of
 *     the same program. <pageoff> is a page index relative to the slot base
 *     (may point outside the slot on purpose). <d> is a dmirror device 0..3
 *     (0,1 device-private; 2,3 device-coherent on the documented boot line).
 *   - PAGE = 4096 bytes (the runner reads sysconf(_SC_PAGESIZE)).
 *
 * Steps:
 *   mmap <slot> <npages> <prot> <shared>   anonymous mmap; prot none|r|rw;
 *                                          shared 0 = MAP_PRIVATE, 1 = MAP_SHARED
 *   mmap_at <slot> <page> <npages> <prot> <shared>
 *                                          the same at ARENA + page*PAGE with
 *                                          MAP_FIXED_NOREPLACE (ARENA is
 *                                          2 MiB aligned and reported in the
 *                                          "runner" line), so the caller knows
 *                                          every address and pmd boundary
 *   munmap <slot> <pageoff> <npages>
 *   mprotect <slot> <pageoff> <npages> <prot>
 *   madvise_dontneed <slot> <pageoff> <npages>
 *   write <slot> <pageoff> <u32>           CPU store of a 4-byte value at the
 *                                          first byte of the page
 *   read <slot> <pageoff>                  CPU load of the first 4 bytes
 *   fork                                   see "fork" below
 *   dm_read <d> <slot> <pageoff> <npages>            HMM_DMIRROR_READ
 *   dm_write <d> <slot> <pageoff> <npages> <u32>     HMM_DMIRROR_WRITE; every
 *                        u32 of every page of the source buffer is <u32>
 *   dm_migrate_dev <d> <slot> <pageoff> <npages>     HMM_DMIRROR_MIGRATE_TO_DEV
 *   dm_migrate_sys <d> <slot> <pageoff> <npages>     HMM_DMIRROR_MIGRATE_TO_SYS
 *   dm_snapshot <d> <slot> <pageoff> <npages>        HMM_DMIRROR_SNAPSHOT
 *   dm_exclusive <d> <slot> <pageoff> <npages>       HMM_DMIRROR_EXCLUSIVE
 *   dm_check_exclusive <d> <slot> <pageoff> <npages> HMM_DMIRROR_CHECK_EXCLUSIVE
 *   dm_release <d>                         HMM_DMIRROR_RELEASE (addr=0,
 *                                          npages=1: the driver ignores the
 *                                          range and evicts/removes all chunks
 *                                          of that device)
 *   dm_close <d>                           close this process's mirror fd of
 *                                          device d (the driver's release
 *                                          evicts that device's chunks); the
 *                                          next dm_* on d opens a new mirror
 *
 * dmirror devices are opened lazily, per process, at the first dm_* step on
 * that device (each open creates a new mirror of the opening process's mm).
 * Every ioctl gets a fresh struct hmm_dmirror_cmd {addr = slot base +
 * pageoff*PAGE, ptr = a private buffer of npages*PAGE bytes pre-filled with
 * 0xA5 bytes (dm_snapshot: npages bytes pre-filled with 0xEE), npages,
 * cpages = 0, faults = 0}.
 *
 * Isolation: every program runs in its own child process (fork per program);
 * the parent waits for it and reports how it ended. A per-program alarm of
 * 30 s kills a hung program (reported as signal ALRM).
 *
 * fork: the process forks; the CHILD runs the remaining steps of the program
 * (its lines carry a new "proc" number) and exits; the PARENT waits for it,
 * prints the fork step's line and then runs the same remaining steps itself.
 * The child first drops (closes, without affecting the parent's mirrors) all
 * inherited dmirror fds, so its dm_* steps open mirrors of its own mm.
 *
 * --------------------------------------------------------------- output ----
 * Every line is "@@SVM " + one JSON object, written with a single write(2)
 * and, on a tty, drained (tcdrain) before the runner goes on, so that a
 * kernel message is never printed ahead of the lines of earlier steps.
 *   {"op":"runner","version":2,"programs":N,"page_size":4096,"arena":"0x...","kernel":"<release>"}
 *   {"p":ID,"op":"parse_error","line":L,"msg":"..."}  (program is skipped)
 *   {"p":ID,"proc":0,"op":"begin"}                    (from the program child)
 *   one line per step:
 *     {"p":ID,"proc":K,"s":S,"op":"<op>", ...}
 *       S is the 0-based step index inside the program, K the process number
 *       (0 = the program's first process, fork children get 1, 2, ...).
 *     syscalls (mmap, mmap_at, munmap, mprotect, madvise_dontneed):
 *       "ret":0|-1,"errno":E
 *     read:   "value":U32  or  "signal":"SEGV"|"BUS","si_code":"MAPERR"|"ACCERR"|...
 *     write:  "ret":0      or  "signal":...,"si_code":...
 *     fork:   "ret":0,"child":K,"child_status":"exit:0"|"signal:SEGV"|...
 *     dm_*:   "ret":0|-1,"errno":E,"cpages":C,"faults":F
 *       (the driver does not copy cmd back on error, so cpages/faults are 0
 *        then), plus
 *       dm_read, dm_migrate_dev, dm_exclusive with ret 0:
 *         "data":[first u32 of each page of the returned buffer]
 *       dm_snapshot with ret 0: "snap":[one byte per page, decimal;
 *         HMM_DMIRROR_PROT_* flags from lib/test_hmm_uapi.h]
 *       if the device could not be opened: "ret":-1,"errno":E,"open_failed":true
 *     a step naming a slot that holds no mapping: "error":"bad_slot"
 *   {"p":ID,"proc":K,"op":"end","steps":N}             (each process of a program)
 *   {"p":ID,"op":"exit","status":"exit:0"|"exit:N"|"signal:NAME"}  (from the parent)
 *   {"op":"done","programs":N,"ok":A,"failed":B}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "lib/test_hmm_uapi.h"

#define MARK "@@SVM "
#define MAX_SLOTS 64
#define MAX_DEV 4
#define MAX_DM_PAGES 4096
#define MAX_TOK 8
#define PROGRAM_ALARM_S 30
#define ARENA 0x100000000000UL

enum op {
	OP_MMAP, OP_MMAP_AT, OP_MUNMAP, OP_MPROTECT, OP_MADV_DONTNEED, OP_WRITE, OP_READ,
	OP_FORK, OP_DM_READ, OP_DM_WRITE, OP_DM_MIGRATE_DEV, OP_DM_MIGRATE_SYS,
	OP_DM_SNAPSHOT, OP_DM_EXCLUSIVE, OP_DM_CHECK_EXCLUSIVE, OP_DM_RELEASE,
	OP_DM_CLOSE,
};

static const struct opdef {
	const char *name;
	enum op op;
	int nargs;
} opdefs[] = {
	{ "mmap", OP_MMAP, 4 },
	{ "mmap_at", OP_MMAP_AT, 5 },
	{ "munmap", OP_MUNMAP, 3 },
	{ "mprotect", OP_MPROTECT, 4 },
	{ "madvise_dontneed", OP_MADV_DONTNEED, 3 },
	{ "write", OP_WRITE, 3 },
	{ "read", OP_READ, 2 },
	{ "fork", OP_FORK, 0 },
	{ "dm_read", OP_DM_READ, 4 },
	{ "dm_write", OP_DM_WRITE, 5 },
	{ "dm_migrate_dev", OP_DM_MIGRATE_DEV, 4 },
	{ "dm_migrate_sys", OP_DM_MIGRATE_SYS, 4 },
	{ "dm_snapshot", OP_DM_SNAPSHOT, 4 },
	{ "dm_exclusive", OP_DM_EXCLUSIVE, 4 },
	{ "dm_check_exclusive", OP_DM_CHECK_EXCLUSIVE, 4 },
	{ "dm_release", OP_DM_RELEASE, 1 },
	{ "dm_close", OP_DM_CLOSE, 1 },
};

struct step {
	enum op op;
	const char *name;
	long a[5];
};

struct program {
	long id;
	int nsteps, cap;
	struct step *steps;
	int bad; /* parse error: skipped */
};

static struct program *progs;
static int nprogs;

/* per-process state */
struct slot {
	char *base;
	long npages;
	int valid;
};
static struct slot slots[MAX_SLOTS];
static int devfd[MAX_DEV] = { -1, -1, -1, -1 };
static long page_size;
static long cur_prog;
static int cur_proc;
static int *proc_counter; /* shared between the processes of one program */

/* ---------------------------------------------------------- output ---- */
static char obuf[128 * 1024];
static size_t olen;
static int console_out; /* stdout is a tty: drain each line */

static void o_raw(const char *s)
{
	size_t n = strlen(s);

	if (olen + n < sizeof(obuf) - 2) {
		memcpy(obuf + olen, s, n);
		olen += n;
	}
}

static void o_fmt(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (olen >= sizeof(obuf) - 2)
		return;
	va_start(ap, fmt);
	n = vsnprintf(obuf + olen, sizeof(obuf) - 2 - olen, fmt, ap);
	va_end(ap);
	if (n > 0)
		olen += (size_t)n < sizeof(obuf) - 2 - olen ? (size_t)n :
			sizeof(obuf) - 2 - olen;
}

static void o_str(const char *s) /* JSON string */
{
	o_raw("\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			o_fmt("\\%c", c);
		else if (c < 0x20)
			o_fmt("\\u%04x", c);
		else
			o_fmt("%c", c);
	}
	o_raw("\"");
}

static void o_begin(void)
{
	olen = 0;
	o_raw(MARK "{");
}

static void o_end(void)
{
	size_t off = 0;

	o_raw("}\n");
	while (off < olen) {
		ssize_t w = write(1, obuf + off, olen - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	olen = 0;
	/*
	 * Wait until the line has left the UART: kernel messages (printk goes
	 * to the console directly, past the tty buffer) then appear after the
	 * lines of the steps that ran before them, never among earlier ones.
	 */
	if (console_out)
		tcdrain(1);
}

static void o_step_head(int s, const char *op)
{
	o_begin();
	o_fmt("\"p\":%ld,\"proc\":%d,\"s\":%d,\"op\":", cur_prog, cur_proc, s);
	o_str(op);
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SEGV";
	case SIGBUS: return "BUS";
	case SIGALRM: return "ALRM";
	case SIGABRT: return "ABRT";
	case SIGKILL: return "KILL";
	case SIGILL: return "ILL";
	case SIGFPE: return "FPE";
	case SIGTERM: return "TERM";
	default: return "OTHER";
	}
}

static void status_str(int st, char *buf, size_t n)
{
	if (WIFEXITED(st))
		snprintf(buf, n, "exit:%d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, n, "signal:%s", signame(WTERMSIG(st)));
	else
		snprintf(buf, n, "unknown:%d", st);
}

/* ----------------------------------------------------------- parsing ---- */
static int parse_num(const char *t, long *out)
{
	char *end;

	errno = 0;
	if (t[0] == '-')
		*out = strtol(t, &end, 0);
	else
		*out = (long)strtoul(t, &end, 0);
	return errno == 0 && end != t && *end == '\0';
}

static int parse_prot(const char *t, long *out)
{
	if (!strcmp(t, "none"))
		*out = PROT_NONE;
	else if (!strcmp(t, "r"))
		*out = PROT_READ;
	else if (!strcmp(t, "rw"))
		*out = PROT_READ | PROT_WRITE;
	else
		return 0;
	return 1;
}

static void parse_error(long id, int line, const char *msg)
{
	o_begin();
	o_fmt("\"p\":%ld,\"op\":\"parse_error\",\"line\":%d,\"msg\":", id, line);
	o_str(msg);
	o_end();
}

static int parse_step(char **tok, int ntok, struct step *st, char *err, size_t en)
{
	const struct opdef *d = NULL;
	size_t i;
	int k;

	for (i = 0; i < sizeof(opdefs) / sizeof(opdefs[0]); i++)
		if (!strcmp(tok[0], opdefs[i].name))
			d = &opdefs[i];
	if (!d) {
		snprintf(err, en, "unknown step '%s'", tok[0]);
		return 0;
	}
	if (ntok - 1 != d->nargs) {
		snprintf(err, en, "'%s' takes %d arguments, got %d", d->name,
			 d->nargs, ntok - 1);
		return 0;
	}
	memset(st, 0, sizeof(*st));
	st->op = d->op;
	st->name = d->name;
	for (k = 0; k < d->nargs; k++) {
		const char *t = tok[k + 1];
		int ok;

		if ((d->op == OP_MMAP && k == 2) || (d->op == OP_MMAP_AT && k == 3) ||
		    (d->op == OP_MPROTECT && k == 3))
			ok = parse_prot(t, &st->a[k]);
		else
			ok = parse_num(t, &st->a[k]);
		if (!ok) {
			snprintf(err, en, "bad argument %d '%s'", k + 1, t);
			return 0;
		}
	}
	/* range checks */
	switch (d->op) {
	case OP_MMAP:
		if (st->a[1] <= 0 || st->a[1] > (1L << 20) ||
		    (st->a[3] != 0 && st->a[3] != 1)) {
			snprintf(err, en, "mmap: npages must be 1..2^20, shared 0|1");
			return 0;
		}
		break;
	case OP_MMAP_AT:
		if (st->a[1] < 0 || st->a[1] > (1L << 20) || st->a[2] <= 0 ||
		    st->a[2] > (1L << 20) || (st->a[4] != 0 && st->a[4] != 1)) {
			snprintf(err, en, "mmap_at: page must be 0..2^20, npages 1..2^20, shared 0|1");
			return 0;
		}
		break;
	case OP_DM_READ: case OP_DM_WRITE: case OP_DM_MIGRATE_DEV:
	case OP_DM_MIGRATE_SYS: case OP_DM_SNAPSHOT: case OP_DM_EXCLUSIVE:
	case OP_DM_CHECK_EXCLUSIVE:
		if (st->a[3] < 0 || st->a[3] > MAX_DM_PAGES) {
			snprintf(err, en, "npages must be 0..%d", MAX_DM_PAGES);
			return 0;
		}
		/* fall through */
	case OP_DM_RELEASE: case OP_DM_CLOSE:
		if (st->a[0] < 0 || st->a[0] >= MAX_DEV) {
			snprintf(err, en, "device must be 0..%d", MAX_DEV - 1);
			return 0;
		}
		break;
	default:
		break;
	}
	/* slot argument position */
	{
		int sp = -1;

		switch (d->op) {
		case OP_MMAP: case OP_MMAP_AT: case OP_MUNMAP: case OP_MPROTECT:
		case OP_MADV_DONTNEED: case OP_WRITE: case OP_READ:
			sp = 0;
			break;
		case OP_FORK: case OP_DM_RELEASE: case OP_DM_CLOSE:
			break;
		default:
			sp = 1;
		}
		if (sp >= 0 && (st->a[sp] < 0 || st->a[sp] >= MAX_SLOTS)) {
			snprintf(err, en, "slot must be 0..%d", MAX_SLOTS - 1);
			return 0;
		}
	}
	if ((d->op == OP_WRITE && (st->a[2] < 0 || st->a[2] > 0xffffffffL)) ||
	    (d->op == OP_DM_WRITE && (st->a[4] < 0 || st->a[4] > 0xffffffffL))) {
		snprintf(err, en, "value must be a u32");
		return 0;
	}
	return 1;
}

static void load_programs(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;
	struct program *cur = NULL;

	if (!f) {
		o_begin();
		o_fmt("\"op\":\"fatal\",\"msg\":\"cannot open programs file\",\"errno\":%d", errno);
		o_end();
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		char *tok[MAX_TOK + 1], *p, *save = NULL;
		int ntok = 0;
		char err[160];

		lineno++;
		for (p = strtok_r(line, " \t\r\n", &save); p;
		     p = strtok_r(NULL, " \t\r\n", &save)) {
			if (ntok == 0 && p[0] == '#')
				break;
			if (ntok < MAX_TOK + 1)
				tok[ntok++] = p;
		}
		if (ntok == 0)
			continue;
		if (!strcmp(tok[0], "program")) {
			long id;

			if (cur) {
				parse_error(cur->id, lineno, "'program' inside a program");
				cur->bad = 1;
			}
			if (ntok != 2 || !parse_num(tok[1], &id)) {
				parse_error(-1, lineno, "expected 'program <id>'");
				id = -1;
			}
			progs = realloc(progs, sizeof(*progs) * (nprogs + 1));
			cur = &progs[nprogs++];
			memset(cur, 0, sizeof(*cur));
			cur->id = id;
			if (id == -1)
				cur->bad = 1;
			continue;
		}
		if (!cur) {
			parse_error(-1, lineno, "step outside a program");
			continue;
		}
		if (!strcmp(tok[0], "end") && ntok == 1) {
			cur = NULL;
			continue;
		}
		if (ntok > MAX_TOK) {
			parse_error(cur->id, lineno, "too many tokens");
			cur->bad = 1;
			continue;
		}
		if (cur->nsteps == cur->cap) {
			cur->cap = cur->cap ? cur->cap * 2 : 16;
			cur->steps = realloc(cur->steps, sizeof(struct step) * cur->cap);
		}
		if (!parse_step(tok, ntok, &cur->steps[cur->nsteps], err, sizeof(err))) {
			parse_error(cur->id, lineno, err);
			cur->bad = 1;
			continue;
		}
		cur->nsteps++;
	}
	if (cur) {
		parse_error(cur->id, lineno, "missing 'end' at end of file");
		cur->bad = 1;
	}
	fclose(f);
}

/* -------------------------------------------------------- CPU access ---- */
static sigjmp_buf fault_jb;
static volatile sig_atomic_t fault_armed;
static volatile int fault_sig, fault_code;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	fault_sig = sig;
	fault_code = si->si_code;
	fault_armed = 0;
	siglongjmp(fault_jb, 1);
}

static const char *si_code_name(int sig, int code)
{
	if (sig == SIGSEGV) {
		if (code == SEGV_MAPERR) return "MAPERR";
		if (code == SEGV_ACCERR) return "ACCERR";
	}
	if (sig == SIGBUS) {
		if (code == BUS_ADRERR) return "ADRERR";
		if (code == BUS_ADRALN) return "ADRALN";
		if (code == BUS_OBJERR) return "OBJERR";
	}
	return "OTHER";
}

/* returns 0 on success, else the signal number */
static int cpu_access(volatile uint32_t *addr, int is_write, uint32_t wval,
		      uint32_t *rval)
{
	if (sigsetjmp(fault_jb, 1)) {
		return fault_sig;
	}
	fault_armed = 1;
	if (is_write)
		*addr = wval;
	else
		*rval = *addr;
	fault_armed = 0;
	return 0;
}

/* ----------------------------------------------------------- dmirror ---- */
static int dev_fd(int d, int *err)
{
	char path[64];

	if (devfd[d] >= 0)
		return devfd[d];
	snprintf(path, sizeof(path), "/dev/hmm_dmirror%d", d);
	devfd[d] = open(path, O_RDWR | O_CLOEXEC);
	if (devfd[d] < 0)
		*err = errno;
	return devfd[d];
}

static unsigned long dm_cmd_of(enum op op)
{
	switch (op) {
	case OP_DM_READ: return HMM_DMIRROR_READ;
	case OP_DM_WRITE: return HMM_DMIRROR_WRITE;
	case OP_DM_MIGRATE_DEV: return HMM_DMIRROR_MIGRATE_TO_DEV;
	case OP_DM_MIGRATE_SYS: return HMM_DMIRROR_MIGRATE_TO_SYS;
	case OP_DM_SNAPSHOT: return HMM_DMIRROR_SNAPSHOT;
	case OP_DM_EXCLUSIVE: return HMM_DMIRROR_EXCLUSIVE;
	case OP_DM_CHECK_EXCLUSIVE: return HMM_DMIRROR_CHECK_EXCLUSIVE;
	case OP_DM_RELEASE: return HMM_DMIRROR_RELEASE;
	default: return 0;
	}
}

static int slot_ok(long s)
{
	return s >= 0 && s < MAX_SLOTS && slots[s].valid;
}

static char *slot_addr(long s, long pageoff)
{
	return slots[s].base + pageoff * page_size;
}

static void do_dm(int si, const struct step *st)
{
	int d = (int)st->a[0];
	struct hmm_dmirror_cmd cmd;
	unsigned char *buf = NULL;
	size_t blen = 0;
	int fd, oerr = 0, ret, err = 0;
	long np = 0, i;

	o_step_head(si, st->name);
	memset(&cmd, 0, sizeof(cmd));
	if (st->op == OP_DM_RELEASE) {
		cmd.addr = 0;
		cmd.npages = 1;
	} else {
		if (!slot_ok(st->a[1])) {
			o_raw(",\"error\":\"bad_slot\"");
			o_end();
			return;
		}
		np = st->a[3];
		cmd.addr = (uintptr_t)slot_addr(st->a[1], st->a[2]);
		cmd.npages = (unsigned long)np;
		if (st->op == OP_DM_SNAPSHOT) {
			blen = np ? (size_t)np : 1;
			buf = malloc(blen);
			memset(buf, 0xEE, blen);
		} else if (st->op != OP_DM_CHECK_EXCLUSIVE) {
			blen = (size_t)(np ? np : 1) * (size_t)page_size;
			buf = malloc(blen);
			if (st->op == OP_DM_WRITE) {
				uint32_t v = (uint32_t)st->a[4];
				uint32_t *w = (uint32_t *)buf;

				for (i = 0; i < (long)(blen / 4); i++)
					w[i] = v;
			} else {
				memset(buf, 0xA5, blen);
			}
		}
		cmd.ptr = (uintptr_t)buf;
	}
	fd = dev_fd(d, &oerr);
	if (fd < 0) {
		o_fmt(",\"ret\":-1,\"errno\":%d,\"open_failed\":true", oerr);
		o_end();
		free(buf);
		return;
	}
	ret = ioctl(fd, dm_cmd_of(st->op), &cmd);
	if (ret < 0)
		err = errno;
	o_fmt(",\"ret\":%d,\"errno\":%d,\"cpages\":%llu,\"faults\":%llu", ret,
	      err, (unsigned long long)cmd.cpages,
	      (unsigned long long)cmd.faults);
	if (ret == 0 && (st->op == OP_DM_READ || st->op == OP_DM_MIGRATE_DEV ||
			 st->op == OP_DM_EXCLUSIVE)) {
		o_raw(",\"data\":[");
		for (i = 0; i < np; i++) {
			uint32_t v;

			memcpy(&v, buf + i * page_size, 4);
			o_fmt("%s%u", i ? "," : "", v);
		}
		o_raw("]");
	}
	if (ret == 0 && st->op == OP_DM_SNAPSHOT) {
		o_raw(",\"snap\":[");
		for (i = 0; i < np; i++)
			o_fmt("%s%u", i ? "," : "", buf[i]);
		o_raw("]");
	}
	o_end();
	free(buf);
}

/* ---------------------------------------------------------- programs ---- */
static void run_steps(const struct program *pg, int from);

static void do_fork(const struct program *pg, int si)
{
	int child_no = __atomic_add_fetch(proc_counter, 1, __ATOMIC_SEQ_CST);
	pid_t pid = fork();
	int st, d;
	char sbuf[64];

	if (pid == 0) {
		for (d = 0; d < MAX_DEV; d++) {
			if (devfd[d] >= 0)
				close(devfd[d]);
			devfd[d] = -1;
		}
		cur_proc = child_no;
		alarm(PROGRAM_ALARM_S); /* alarms are not inherited */
		run_steps(pg, si + 1);
		_exit(0);
	}
	o_step_head(si, "fork");
	if (pid < 0) {
		o_fmt(",\"ret\":-1,\"errno\":%d", errno);
		o_end();
		return;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	status_str(st, sbuf, sizeof(sbuf));
	o_fmt(",\"ret\":0,\"child\":%d,\"child_status\":", child_no);
	o_str(sbuf);
	o_end();
}

static void run_steps(const struct program *pg, int from)
{
	int si;

	for (si = from; si < pg->nsteps; si++) {
		const struct step *st = &pg->steps[si];
		long s = st->a[0];
		int ret = 0, err = 0, sig;
		uint32_t v = 0;

		switch (st->op) {
		case OP_MMAP: {
			int prot = (int)st->a[2];
			int flags = MAP_ANONYMOUS | (st->a[3] ? MAP_SHARED : MAP_PRIVATE);
			void *p;

			o_step_head(si, st->name);
			if (slots[s].valid) {
				o_raw(",\"error\":\"slot_in_use\"");
				o_end();
				break;
			}
			p = mmap(NULL, (size_t)st->a[1] * page_size, prot, flags, -1, 0);
			if (p == MAP_FAILED) {
				o_fmt(",\"ret\":-1,\"errno\":%d", errno);
			} else {
				slots[s].base = p;
				slots[s].npages = st->a[1];
				slots[s].valid = 1;
				o_raw(",\"ret\":0,\"errno\":0");
			}
			o_end();
			break;
		}
		case OP_MMAP_AT: {
			int prot = (int)st->a[3];
			int flags = MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
				    (st->a[4] ? MAP_SHARED : MAP_PRIVATE);
			char *want = (char *)(ARENA + (unsigned long)st->a[1] * page_size);
			void *p;

			o_step_head(si, st->name);
			if (slots[s].valid) {
				o_raw(",\"error\":\"slot_in_use\"");
				o_end();
				break;
			}
			p = mmap(want, (size_t)st->a[2] * page_size, prot, flags, -1, 0);
			if (p == MAP_FAILED) {
				o_fmt(",\"ret\":-1,\"errno\":%d", errno);
			} else if (p != want) {
				/* a kernel without MAP_FIXED_NOREPLACE treats it as a hint */
				munmap(p, (size_t)st->a[2] * page_size);
				o_fmt(",\"ret\":-1,\"errno\":%d", EEXIST);
			} else {
				slots[s].base = p;
				slots[s].npages = st->a[2];
				slots[s].valid = 1;
				o_raw(",\"ret\":0,\"errno\":0");
			}
			o_end();
			break;
		}
		case OP_MUNMAP:
		case OP_MPROTECT:
		case OP_MADV_DONTNEED: {
			o_step_head(si, st->name);
			if (!slot_ok(s)) {
				o_raw(",\"error\":\"bad_slot\"");
				o_end();
				break;
			}
			{
				char *a = slot_addr(s, st->a[1]);
				size_t len = (size_t)st->a[2] * page_size;

				if (st->op == OP_MUNMAP)
					ret = munmap(a, len);
				else if (st->op == OP_MPROTECT)
					ret = mprotect(a, len, (int)st->a[3]);
				else
					ret = madvise(a, len, MADV_DONTNEED);
				if (ret < 0)
					err = errno;
			}
			o_fmt(",\"ret\":%d,\"errno\":%d", ret, err);
			o_end();
			break;
		}
		case OP_WRITE:
		case OP_READ:
			o_step_head(si, st->name);
			if (!slot_ok(s)) {
				o_raw(",\"error\":\"bad_slot\"");
				o_end();
				break;
			}
			sig = cpu_access((volatile uint32_t *)slot_addr(s, st->a[1]),
					 st->op == OP_WRITE, (uint32_t)st->a[2], &v);
			if (sig) {
				o_fmt(",\"signal\":\"%s\",\"si_code\":\"%s\"",
				      signame(sig), si_code_name(sig, fault_code));
			} else if (st->op == OP_WRITE) {
				o_raw(",\"ret\":0");
			} else {
				o_fmt(",\"value\":%u", v);
			}
			o_end();
			break;
		case OP_FORK:
			do_fork(pg, si);
			break;
		case OP_DM_CLOSE: {
			int d = (int)st->a[0];

			o_step_head(si, st->name);
			if (devfd[d] >= 0) {
				ret = close(devfd[d]);
				if (ret < 0)
					err = errno;
				devfd[d] = -1;
				o_fmt(",\"ret\":%d,\"errno\":%d", ret, err);
			} else {
				o_raw(",\"ret\":0,\"errno\":0,\"was_open\":false");
			}
			o_end();
			break;
		}
		default:
			do_dm(si, st);
			break;
		}
	}
	o_begin();
	o_fmt("\"p\":%ld,\"proc\":%d,\"op\":\"end\",\"steps\":%d", pg->id,
	      cur_proc, pg->nsteps);
	o_end();
}

static void run_program_child(const struct program *pg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	alarm(PROGRAM_ALARM_S);

	cur_prog = pg->id;
	cur_proc = 0;
	o_begin();
	o_fmt("\"p\":%ld,\"proc\":0,\"op\":\"begin\"", pg->id);
	o_end();
	run_steps(pg, 0);
}

int main(int argc, char **argv)
{
	struct utsname u;
	int i, ok = 0, failed = 0, runnable = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PROGRAMS_FILE\n", argv[0]);
		return 2;
	}
	page_size = sysconf(_SC_PAGESIZE);
	console_out = isatty(1);
	uname(&u);
	load_programs(argv[1]);
	for (i = 0; i < nprogs; i++)
		runnable += !progs[i].bad;

	o_begin();
	o_fmt("\"op\":\"runner\",\"version\":2,\"programs\":%d,\"page_size\":%ld,\"arena\":\"0x%lx\",\"kernel\":",
	      runnable, page_size, ARENA);
	o_str(u.release);
	o_end();

	proc_counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (proc_counter == MAP_FAILED) {
		perror("mmap");
		return 1;
	}

	for (i = 0; i < nprogs; i++) {
		const struct program *pg = &progs[i];
		pid_t pid;
		int st;
		char sbuf[64];

		if (pg->bad)
			continue;
		*proc_counter = 0;
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			run_program_child(pg);
			_exit(0);
		}
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		status_str(st, sbuf, sizeof(sbuf));
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
		else
			failed++;
		o_begin();
		o_fmt("\"p\":%ld,\"op\":\"exit\",\"status\":", pg->id);
		o_str(sbuf);
		o_end();
	}
	o_begin();
	o_fmt("\"op\":\"done\",\"programs\":%d,\"ok\":%d,\"failed\":%d", runnable,
	      ok, failed);
	o_end();
	return 0;
}
