/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: struct pt_regs as x86-64 saves it (4.19 arch/x86/include/asm/ptrace.h), what a
 * kprobe handler is given; the helpers a handler reads it with.
 */
#ifndef _ASM_X86_PTRACE_H
#define _ASM_X86_PTRACE_H

#include <linux/types.h>

struct pt_regs {
/* callee-preserved: not saved on kernel entry unless a syscall needs all of them */
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
/* callee-clobbered: always saved on kernel entry */
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
/* syscall number, error code or IRQ number */
	unsigned long orig_ax;
/* the iretq frame */
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};

#define user_mode(regs) (!!((regs)->cs & 3))
#define instruction_pointer(regs) ((regs)->ip)
#define profile_pc(regs) instruction_pointer(regs)

static inline unsigned long regs_return_value(struct pt_regs *regs)
{
	return regs->ax;
}

static inline unsigned long kernel_stack_pointer(struct pt_regs *regs)
{
	return regs->sp;
}

static inline unsigned long user_stack_pointer(struct pt_regs *regs)
{
	return regs->sp;
}

static inline void instruction_pointer_set(struct pt_regs *regs, unsigned long val)
{
	regs->ip = val;
}

/* the N-th argument of the probed function at its entry (SysV: rdi, rsi, rdx, rcx, r8, r9) */
static inline unsigned long regs_get_kernel_argument(struct pt_regs *regs, unsigned int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->cx;
	case 4: return regs->r8;
	case 5: return regs->r9;
	}
	return 0;
}

#endif /* _ASM_X86_PTRACE_H */
