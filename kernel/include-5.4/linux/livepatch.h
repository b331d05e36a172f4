/* SPDX-License-Identifier: GPL-2.0+ */
/*
 * klpsh: the Linux 5.4 livepatch API.  Since 5.1 a patch module calls
 * klp_enable_patch() from its init and nothing else: the patch is
 * initialised, enabled and listed in one go, and freed by the kernel when
 * it is disabled (or replaced by a cumulative patch, .replace = true).
 * There is no klp_register_patch(), klp_unregister_patch() or
 * klp_disable_patch() any more.
 *
 * The fields a livepatch module fills in keep the 5.4 names and order;
 * the core-private part is what the Python livepatch core needs: as in 5.4,
 * the patch's objects are on patch->obj_list and an object's functions on
 * obj->func_list (the static ones and those a cumulative patch adds), which
 * klp_for_each_object() and klp_for_each_func() walk.  There is no kobject
 * (sysfs is the core's).  Layouts: kernel/ABI.md, kernel/abi.py KlpFunc54,
 * KlpCallbacks, KlpObject54, KlpPatch54.
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
 * @old_func, @node, @stack_node, @old_size, @new_size, @nop, @patched,
 * @transition:	owned by the livepatch core (@node: on the object's
 *		func_list; @nop: added by a cumulative patch for a function it no
 *		longer changes: runs the original)
 */
struct klp_func {
	/* external */
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;

	/* internal */
	void *old_func;
	struct list_head node;
	struct list_head stack_node;
	unsigned long old_size, new_size;
	bool nop;
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
 * @func_list, @node, @mod, @dynamic, @patched: owned by the livepatch core
 *		(@func_list: its functions; @node: on the patch's obj_list; @mod is
 *		NULL while the module is not loaded; @dynamic: made by a cumulative
 *		patch)
 */
struct klp_object {
	/* external */
	const char *name;
	struct klp_func *funcs;
	struct klp_callbacks callbacks;

	/* internal */
	struct list_head func_list;
	struct list_head node;
	struct module *mod;
	bool dynamic;
	bool patched;
};

/**
 * struct klp_patch - a livepatch
 * @mod:	the livepatch module (THIS_MODULE)
 * @objs:	array terminated by an all-zero entry
 * @replace:	replace all earlier patches (a cumulative patch)
 * @list, @obj_list, @enabled, @forced: owned by the livepatch core
 *		(@obj_list: its objects, the static and the dynamic ones)
 */
struct klp_patch {
	/* external */
	struct module *mod;
	struct klp_object *objs;
	bool replace;

	/* internal */
	struct list_head list;
	struct list_head obj_list;
	bool enabled;
	bool forced;
};

/* the arrays a module declares */
#define klp_for_each_object_static(patch, obj) \
	for (obj = (patch)->objs; obj->funcs || obj->name; obj++)

#define klp_for_each_func_static(obj, func)			\
	for (func = (obj)->funcs;				\
	     func->old_name || func->new_func || func->old_sympos;	\
	     func++)

/* the lists the core keeps once klp_enable_patch() initialised the patch */
#define klp_for_each_object_safe(patch, obj, tmp_obj)		\
	list_for_each_entry_safe(obj, tmp_obj, &(patch)->obj_list, node)

#define klp_for_each_object(patch, obj)	\
	list_for_each_entry(obj, &(patch)->obj_list, node)

#define klp_for_each_func_safe(obj, func, tmp_func)			\
	list_for_each_entry_safe(func, tmp_func, &(obj)->func_list, node)

#define klp_for_each_func(obj, func)	\
	list_for_each_entry(func, &(obj)->func_list, node)

int klp_enable_patch(struct klp_patch *);

void arch_klp_init_object_loaded(struct klp_patch *patch,
				 struct klp_object *obj);

/* called by the module loader and the scheduler, not exported to modules */
int klp_module_coming(struct module *mod);
void klp_module_going(struct module *mod);

struct task_struct;
void klp_copy_process(struct task_struct *child);
void klp_update_patch_state(struct task_struct *task);

/*
 * TIF_PATCH_PENDING of TASK: it has yet to switch to the transition's target
 * state.  An inline test of thread_info flags in Linux; here the flag is the
 * scheduler's (kernel/livepatch/transition.py), so this is a call.
 */
extern bool klp_patch_pending(struct task_struct *task);

/* x86-64 has reliable stack traces (CONFIG_HAVE_RELIABLE_STACKTRACE) */
static inline bool klp_have_reliable_stack(void)
{
	return true;
}

/* shadow variables: extra data attached to an existing object, keyed by <obj, id> */
typedef int (*klp_shadow_ctor_t)(void *obj, void *shadow_data, void *ctor_data);
typedef void (*klp_shadow_dtor_t)(void *obj, void *shadow_data);

void *klp_shadow_get(void *obj, unsigned long id);
void *klp_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
		       klp_shadow_ctor_t ctor, void *ctor_data);
void *klp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
			      klp_shadow_ctor_t ctor, void *ctor_data);
void klp_shadow_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor);
void klp_shadow_free_all(unsigned long id, klp_shadow_dtor_t dtor);

/*
 * Non-exported symbols of vmlinux or of a module, for klp-convert (run by
 * kbuild for livepatch modules): see kernel/klp_convert.py and the 4.19
 * header's comment; the annotation is the same for both kernels.
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

/* what 5.4's livepatch.h pulls in as well (through linux/ftrace.h, whose includes are 4.19's) */
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
