/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: the sigset_t helpers and kthread signal calls of 4.19's
 * linux/signal.h (numbers and sigset_t: asm/signal.h).  Kernel threads
 * ignore every signal until they allow_signal() it; then send_sig() makes
 * it pending and wakes them.
 */
#ifndef _LINUX_SIGNAL_H
#define _LINUX_SIGNAL_H

#include <linux/types.h>

#include <linux/signal_types.h>

static inline void sigaddset(sigset_t *set, int _sig)
{
	unsigned long sig = _sig - 1;
	set->sig[sig / _NSIG_BPW] |= 1UL << (sig % _NSIG_BPW);
}

static inline void sigdelset(sigset_t *set, int _sig)
{
	unsigned long sig = _sig - 1;
	set->sig[sig / _NSIG_BPW] &= ~(1UL << (sig % _NSIG_BPW));
}

static inline int sigismember(sigset_t *set, int _sig)
{
	unsigned long sig = _sig - 1;
	return 1 & (set->sig[sig / _NSIG_BPW] >> (sig % _NSIG_BPW));
}

static inline int sigisemptyset(sigset_t *set)
{
	return set->sig[0] == 0;
}

static inline int sigequalsets(const sigset_t *set1, const sigset_t *set2)
{
	return set1->sig[0] == set2->sig[0];
}

#define sigmask(sig)	(1UL << ((sig) - 1))

static inline void sigorsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] | b->sig[0];
}

static inline void sigandsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] & b->sig[0];
}

static inline void sigandnsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] & ~b->sig[0];
}

static inline void signotset(sigset_t *set)
{
	set->sig[0] = ~set->sig[0];
}

static inline void sigemptyset(sigset_t *set)
{
	set->sig[0] = 0;
}

static inline void sigfillset(sigset_t *set)
{
	set->sig[0] = -1UL;
}

static inline void sigaddsetmask(sigset_t *set, unsigned long mask)
{
	set->sig[0] |= mask;
}

static inline void sigdelsetmask(sigset_t *set, unsigned long mask)
{
	set->sig[0] &= ~mask;
}

static inline int sigtestsetmask(sigset_t *set, unsigned long mask)
{
	return (set->sig[0] & mask) != 0;
}

static inline void siginitset(sigset_t *set, unsigned long mask)
{
	set->sig[0] = mask;
}

static inline void siginitsetinv(sigset_t *set, unsigned long mask)
{
	set->sig[0] = ~mask;
}

static inline void init_sigpending(struct sigpending *sig)
{
	sigemptyset(&sig->signal);
	INIT_LIST_HEAD(&sig->list);
}

/* Test if 'sig' is valid signal. Use this instead of testing _NSIG directly */
static inline int valid_signal(unsigned long sig)
{
	return sig <= _NSIG ? 1 : 0;
}

/* the calling task's blocked mask: SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK SET, OLDSET the old one */
extern int sigprocmask(int how, sigset_t *set, sigset_t *oldset);

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
