/* SPDX-License-Identifier: GPL-2.0 */
/* klpsh: x86's part of struct kprobe (4.19 arch/x86/include/asm/kprobes.h). */
#ifndef _ASM_X86_KPROBES_H
#define _ASM_X86_KPROBES_H

#include <linux/types.h>
#include <asm/ptrace.h>

#define __ARCH_WANT_KPROBES_INSN_SLOT

typedef u8 kprobe_opcode_t;
#define BREAKPOINT_INSTRUCTION	0xcc
#define RELATIVEJUMP_OPCODE	0xe9
#define RELATIVEJUMP_SIZE	5
#define RELATIVECALL_OPCODE	0xe8
#define RELATIVE_ADDR_SIZE	4
#define MAX_STACK_SIZE		64
#define MAX_INSN_SIZE		16
#define flush_insn_slot(p)	do { } while (0)

/* Architecture specific copy of original instruction */
struct arch_specific_insn {
	/* copy of the original instruction */
	kprobe_opcode_t *insn;
	/* a relative jump follows the copy: no single-step needed (unless a post_handler) */
	bool boostable;
	bool if_modifier;
};

#endif /* _ASM_X86_KPROBES_H */
