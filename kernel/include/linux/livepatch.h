/* SPDX-License-Identifier: GPL-2.0+ */
/*
 * klpsh: the Linux 4.19 livepatch API (register / enable / disable /
 * unregister, callbacks, shadow variables).
 *
 * The structures keep the 4.19 field names and order for everything a
 * livepatch module fills in; the core-private part is reduced to what the
 * Python livepatch core needs.  Layouts: kernel/ABI.md (kernel/abi.py
 * KlpFunc, KlpCallbacks, KlpObject, KlpPatch).
 */
#ifndef _LINUX_LIVEPATCH_H_
#define _LINUX_LIVEPATCH_H_

#include <linux/module.h>
#include <linux/list.h>
#include <linux/completion.h>

/* task_struct.patch_state values */
#define KLP_UNDEFINED	-1
#define KLP_UNPATCHED	 0
#define KLP_PATCHED	 1

/**
 * struct klp_func - one function to replace
 * @old_name:	name of the function to be patched
 * @new_func:	the replacement (in the livepatch module)
 * @old_sympos:	which of several same-named symbols in the object (1-based;
 *		0 means the name must be unique)
 * @old_addr, @stack_node, @old_size, @new_size, @patched, @transition:
 *		owned by the livepatch core
 */
struct klp_func {
	/* external */
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;

	/* internal */
	unsigned long old_addr;
	struct list_head stack_node;
	unsigned long old_size, new_size;
	bool patched;
	bool transition;
};

struct klp_object;

/**
 * struct klp_callbacks - hooks run around (un)patching of one object
 * @pre_patch:	before patching; an error code aborts patching of the object
 * @post_patch:	after the patching transition completed
 * @pre_unpatch: before the unpatching transition starts
 * @post_unpatch: after unpatching completed (or patching was abandoned)
 * @post_unpatch_enabled: core-private: pre_patch succeeded, post_unpatch is due
 */
struct klp_callbacks {
	int (*pre_patch)(struct klp_object *obj);
	void (*post_patch)(struct klp_object *obj);
	void (*pre_unpatch)(struct klp_object *obj);
	void (*post_unpatch)(struct klp_object *obj);
	bool post_unpatch_enabled;
};

/**
 * struct klp_object - the functions to patch in vmlinux or in one module
 * @name:	module name, or NULL for vmlinux
 * @funcs:	array terminated by an all-zero entry
 * @callbacks:	optional hooks
 * @mod, @patched: owned by the livepatch core (@mod is NULL while the
 *		module is not loaded)
 */
struct klp_object {
	/* external */
	const char *name;
	struct klp_func *funcs;
	struct klp_callbacks callbacks;

	/* internal */
	struct module *mod;
	bool patched;
};

/**
 * struct klp_patch - a livepatch
 * @mod:	the livepatch module (THIS_MODULE)
 * @objs:	array terminated by an all-zero entry
 * @list, @enabled: owned by the livepatch core
 */
struct klp_patch {
	/* external */
	struct module *mod;
	struct klp_object *objs;

	/* internal */
	struct list_head list;
	bool enabled;
};

#define klp_for_each_object(patch, obj) \
	for (obj = (patch)->objs; obj->funcs || obj->name; obj++)

#define klp_for_each_func(obj, func)				\
	for (func = (obj)->funcs;				\
	     func->old_name || func->new_func || func->old_sympos;	\
	     func++)

extern int klp_register_patch(struct klp_patch *patch);
extern int klp_unregister_patch(struct klp_patch *patch);
extern int klp_enable_patch(struct klp_patch *patch);
extern int klp_disable_patch(struct klp_patch *patch);

/*
 * TIF_PATCH_PENDING of TASK: it has yet to switch to the transition's target
 * state.  An inline test of thread_info flags in Linux; here the flag is the
 * scheduler's (kernel/livepatch/transition.py), so this is a call.
 */
struct task_struct;
extern bool klp_patch_pending(struct task_struct *task);

/* shadow variables: extra data attached to an existing object, keyed by <obj, id> */
typedef int (*klp_shadow_ctor_t)(void *obj, void *shadow_data, void *ctor_data);
typedef void (*klp_shadow_dtor_t)(void *obj, void *shadow_data);

extern void *klp_shadow_get(void *obj, unsigned long id);
extern void *klp_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
			      klp_shadow_ctor_t ctor, void *ctor_data);
extern void *klp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				     gfp_t gfp_flags, klp_shadow_ctor_t ctor,
				     void *ctor_data);
extern void klp_shadow_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor);
extern void klp_shadow_free_all(unsigned long id, klp_shadow_dtor_t dtor);

/* ELF relocation annotations (klp-convert): see kernel/klp_convert.py */

/*
 * A livepatch module may use non-exported symbols of vmlinux or of a module:
 * declare them extern and list them here, e.g.
 *
 *	extern int static_counter;
 *	KLP_MODULE_RELOC(livepatch_callbacks_mod) relocs[] = {
 *		KLP_SYMPOS(static_counter, 0),
 *	};
 *
 * klp-convert (run by kbuild for livepatch modules) turns every relocation
 * against such a symbol into a .klp.rela.<obj>.<section> entry against
 * .klp.sym.<obj>.<name>,<pos> and removes the array.  <obj> is "vmlinux" or a
 * module name; <pos> is the symbol's position among same-named symbols of
 * that object in kallsyms order (1, 2, ...), 0 for a unique symbol.
 */
struct klp_module_reloc {
	void *sym;
	unsigned int sympos;
} __attribute__((packed));

#define KLP_MODULE_RELOC(obj)						\
	struct klp_module_reloc						\
	__attribute__((__section__(".klp.module_relocs." #obj)))	\
	__attribute__((__aligned__(4))) __used

#define KLP_SYMPOS(symbol, pos)						\
	{								\
		.sym = &symbol,						\
		.sympos = pos,						\
	}

/* what 4.19's livepatch.h pulls in as well */
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/semaphore.h>
#include <linux/uidgid.h>
#include <linux/vmalloc.h>
#include <linux/cred.h>

#endif /* _LINUX_LIVEPATCH_H_ */
