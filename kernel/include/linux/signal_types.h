/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the signal types of 4.19's linux/signal_types.h, with siginfo_t of
 * the uapi asm-generic/siginfo.h it pulls in (x86-64: 128 bytes).  A task's
 * pending set and its blocked mask are in its task_struct (linux/sched.h);
 * the Python kernel reads and writes them there (kernel/api/signal.py).
 */
#ifndef _LINUX_SIGNAL_TYPES_H
#define _LINUX_SIGNAL_TYPES_H

#include <linux/list.h>
#include <asm/signal.h>

typedef union sigval {
	int sival_int;
	void __user *sival_ptr;
} sigval_t;

#define SI_MAX_SIZE	128
#define __ARCH_SI_PREAMBLE_SIZE	(4 * sizeof(int))
#define SI_PAD_SIZE	((SI_MAX_SIZE - __ARCH_SI_PREAMBLE_SIZE) / sizeof(int))

typedef struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		int _pad[SI_PAD_SIZE];
		struct {			/* kill() */
			int _pid;
			unsigned int _uid;
		} _kill;
		struct {			/* POSIX.1b timers */
			int _tid;
			int _overrun;
			sigval_t _sigval;
			int _sys_private;
		} _timer;
		struct {			/* POSIX.1b signals */
			int _pid;
			unsigned int _uid;
			sigval_t _sigval;
		} _rt;
		struct {			/* SIGCHLD */
			int _pid;
			unsigned int _uid;
			int _status;
			long _utime;
			long _stime;
		} _sigchld;
		struct {			/* SIGILL, SIGFPE, SIGSEGV, SIGBUS */
			void __user *_addr;
			short _addr_lsb;
		} _sigfault;
		struct {			/* SIGPOLL */
			long _band;
			int _fd;
		} _sigpoll;
		struct {			/* SIGSYS */
			void __user *_call_addr;
			int _syscall;
			unsigned int _arch;
		} _sigsys;
	} _sifields;
} siginfo_t;

#define si_pid		_sifields._kill._pid
#define si_uid		_sifields._kill._uid
#define si_tid		_sifields._timer._tid
#define si_overrun	_sifields._timer._overrun
#define si_sys_private	_sifields._timer._sys_private
#define si_status	_sifields._sigchld._status
#define si_utime	_sifields._sigchld._utime
#define si_stime	_sifields._sigchld._stime
#define si_value	_sifields._rt._sigval
#define si_int		_sifields._rt._sigval.sival_int
#define si_ptr		_sifields._rt._sigval.sival_ptr
#define si_addr		_sifields._sigfault._addr
#define si_addr_lsb	_sifields._sigfault._addr_lsb
#define si_band		_sifields._sigpoll._band
#define si_fd		_sifields._sigpoll._fd
#define si_call_addr	_sifields._sigsys._call_addr
#define si_syscall	_sifields._sigsys._syscall
#define si_arch		_sifields._sigsys._arch

/* si_code values */
#define SI_USER		0		/* sent by kill, sigsend, raise */
#define SI_KERNEL	0x80		/* sent by the kernel from somewhere */
#define SI_QUEUE	-1		/* sent by sigqueue */
#define SI_TIMER	-2		/* sent by timer expiration */
#define SI_MESGQ	-3		/* sent by real time mesq state change */
#define SI_ASYNCIO	-4		/* sent by AIO completion */
#define SI_SIGIO	-5		/* sent by queued SIGIO */
#define SI_TKILL	-6		/* sent by tkill system call */
#define SI_DETHREAD	-7		/* sent by execve() killing subsidiary threads */

struct user_struct;

struct sigqueue {
	struct list_head list;
	int flags;
	siginfo_t info;
	struct user_struct *user;
};

#define SIGQUEUE_PREALLOC	1

/* what is pending for a task (task_struct.pending) or its thread group (shared_pending) */
struct sigpending {
	struct list_head list;
	sigset_t signal;
};

struct sigaction {
	__sighandler_t	sa_handler;
	unsigned long	sa_flags;
	__sigrestore_t	sa_restorer;
	sigset_t	sa_mask;	/* mask last for extensibility */
};

struct k_sigaction {
	struct sigaction sa;
};

struct ksignal {
	struct k_sigaction ka;
	siginfo_t info;
	int sig;
};

#endif /* _LINUX_SIGNAL_TYPES_H */
