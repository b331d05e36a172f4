/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: static keys (4.19's linux/jump_label.h).  4.19 patches a NOP or a
 * jump into each static_branch site; here a branch reads the key's count,
 * which is what the patched code amounts to.  The slow-path updates are
 * vmlinux C (kernel/vmlinux/kernel/jump_label.c), GPL-only as in 4.19.
 */
#ifndef _LINUX_JUMP_LABEL_H
#define _LINUX_JUMP_LABEL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/build_bug.h>

struct jump_entry;
struct static_key_mod;

struct static_key {
	atomic_t enabled;
	union {
		unsigned long type;
		struct jump_entry *entries;
		struct static_key_mod *next;
	};
};

#define JUMP_TYPE_FALSE		0UL
#define JUMP_TYPE_TRUE		1UL
#define JUMP_TYPE_LINKED	2UL
#define JUMP_TYPE_MASK		3UL

#define STATIC_KEY_INIT_TRUE	{ .enabled = ATOMIC_INIT(1), { .type = JUMP_TYPE_TRUE } }
#define STATIC_KEY_INIT_FALSE	{ .enabled = ATOMIC_INIT(0), { .type = JUMP_TYPE_FALSE } }
#define STATIC_KEY_INIT		STATIC_KEY_INIT_FALSE

static inline int static_key_count(struct static_key *key)
{
	return atomic_read(&key->enabled);
}

extern bool static_key_initialized;
extern void static_key_slow_inc(struct static_key *key);
extern void static_key_slow_dec(struct static_key *key);
extern void static_key_slow_inc_cpuslocked(struct static_key *key);
extern void static_key_slow_dec_cpuslocked(struct static_key *key);
extern void static_key_enable(struct static_key *key);
extern void static_key_disable(struct static_key *key);
extern void static_key_enable_cpuslocked(struct static_key *key);
extern void static_key_disable_cpuslocked(struct static_key *key);

static __always_inline bool static_key_false(struct static_key *key)
{
	return unlikely(static_key_count(key) > 0);
}

static __always_inline bool static_key_true(struct static_key *key)
{
	return likely(static_key_count(key) > 0);
}

/* the type-checked interface */
struct static_key_true {
	struct static_key key;
};

struct static_key_false {
	struct static_key key;
};

#define STATIC_KEY_TRUE_INIT  (struct static_key_true) { .key = STATIC_KEY_INIT_TRUE, }
#define STATIC_KEY_FALSE_INIT (struct static_key_false){ .key = STATIC_KEY_INIT_FALSE, }

#define DEFINE_STATIC_KEY_TRUE(name)	\
	struct static_key_true name = STATIC_KEY_TRUE_INIT
#define DEFINE_STATIC_KEY_TRUE_RO(name)	\
	struct static_key_true name __ro_after_init = STATIC_KEY_TRUE_INIT
#define DECLARE_STATIC_KEY_TRUE(name)	\
	extern struct static_key_true name
#define DEFINE_STATIC_KEY_FALSE(name)	\
	struct static_key_false name = STATIC_KEY_FALSE_INIT
#define DEFINE_STATIC_KEY_FALSE_RO(name)	\
	struct static_key_false name __ro_after_init = STATIC_KEY_FALSE_INIT
#define DECLARE_STATIC_KEY_FALSE(name)	\
	extern struct static_key_false name

#define DEFINE_STATIC_KEY_ARRAY_TRUE(name, count)		\
	struct static_key_true name[count] = {			\
		[0 ... (count) - 1] = STATIC_KEY_TRUE_INIT,	\
	}
#define DEFINE_STATIC_KEY_ARRAY_FALSE(name, count)		\
	struct static_key_false name[count] = {			\
		[0 ... (count) - 1] = STATIC_KEY_FALSE_INIT,	\
	}

/* a key of another type is a build error, as 4.19's link error for ____wrong_branch_error */
#define static_key_enabled(x)							\
({										\
	BUILD_BUG_ON_MSG(!__builtin_types_compatible_p(typeof(*x), struct static_key) &&	\
			 !__builtin_types_compatible_p(typeof(*x), struct static_key_true) &&	\
			 !__builtin_types_compatible_p(typeof(*x), struct static_key_false),	\
			 "static_key_enabled() of something that is not a static key");		\
	static_key_count((struct static_key *)x) > 0;				\
})

#define static_branch_likely(x)		likely(static_key_enabled(&(x)->key))
#define static_branch_unlikely(x)	unlikely(static_key_enabled(&(x)->key))

#define static_branch_inc(x)		static_key_slow_inc(&(x)->key)
#define static_branch_dec(x)		static_key_slow_dec(&(x)->key)
#define static_branch_inc_cpuslocked(x)	static_key_slow_inc_cpuslocked(&(x)->key)
#define static_branch_dec_cpuslocked(x)	static_key_slow_dec_cpuslocked(&(x)->key)

#define static_branch_enable(x)			static_key_enable(&(x)->key)
#define static_branch_disable(x)		static_key_disable(&(x)->key)
#define static_branch_enable_cpuslocked(x)	static_key_enable_cpuslocked(&(x)->key)
#define static_branch_disable_cpuslocked(x)	static_key_disable_cpuslocked(&(x)->key)

#endif /* _LINUX_JUMP_LABEL_H */
