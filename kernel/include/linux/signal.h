/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: signal numbers (x86 uapi asm/signal.h) and the kthread helpers of
 * 4.19's linux/signal.h.  Kernel threads ignore every signal until they
 * allow_signal() it; then send_sig() makes it pending and wakes them.
 */
#ifndef _LINUX_SIGNAL_H
#define _LINUX_SIGNAL_H

#include <linux/types.h>

#define _NSIG		64
#define _NSIG_BPW	64
#define _NSIG_WORDS	(_NSIG / _NSIG_BPW)

#define SIGHUP		 1
#define SIGINT		 2
#define SIGQUIT		 3
#define SIGILL		 4
#define SIGTRAP		 5
#define SIGABRT		 6
#define SIGIOT		 6
#define SIGBUS		 7
#define SIGFPE		 8
#define SIGKILL		 9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPOLL		SIGIO
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define SIGRTMAX	_NSIG

typedef struct {
	unsigned long sig[_NSIG_WORDS];
} sigset_t;

#define sigmask(sig)	(1UL << ((sig) - 1))

static inline void sigaddset(sigset_t *set, int _sig)
{
	set->sig[0] |= sigmask(_sig);
}

static inline void sigdelset(sigset_t *set, int _sig)
{
	set->sig[0] &= ~sigmask(_sig);
}

static inline int sigismember(sigset_t *set, int _sig)
{
	return 1 & (set->sig[0] >> (_sig - 1));
}

static inline void sigemptyset(sigset_t *set)
{
	set->sig[0] = 0;
}

static inline void sigfillset(sigset_t *set)
{
	set->sig[0] = -1UL;
}

/* a kernel thread takes SIG from now on (kthreads ignore every signal by default) */
extern void allow_signal(int sig);
extern void disallow_signal(int sig);

/* what 4.19's signal.h pulls in as well */
#include <asm/current.h>
#include <asm/ioctl.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/time.h>

#endif /* _LINUX_SIGNAL_H */
