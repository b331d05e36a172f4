// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the static key updates 4.19's kernel/jump_label.c exports.
 * A key's count is what its branches read (linux/jump_label.h): enabling
 * is moving the count from 0 to 1, the slow paths count users, and a count
 * below zero is the WARN 4.19 gives for an unbalanced decrement.
 */
#define KLPSH_SOURCE "kernel/jump_label.c"	/* its WARNs and BUGs at 4.19.0's lines there */
#include <linux/jump_label.h>
#include <linux/mutex.h>
#include <linux/export.h>

static DEFINE_MUTEX(jump_label_mutex);
bool static_key_initialized = true;
EXPORT_SYMBOL_GPL(static_key_initialized);

static void jump_label_lock(void)
{
	mutex_lock(&jump_label_mutex);
}

static void jump_label_unlock(void)
{
	mutex_unlock(&jump_label_mutex);
}

void static_key_slow_inc_cpuslocked(struct static_key *key)
{
	int v, v1;

	/* the count goes up without the lock while the key is already on */
	for (v = atomic_read(&key->enabled); v > 0; v = v1) {
		v1 = atomic_cmpxchg(&key->enabled, v, v + 1);
		if (likely(v1 == v))
			return;
	}
	jump_label_lock();
	if (atomic_read(&key->enabled) == 0)
		atomic_set(&key->enabled, 1);
	else
		atomic_inc(&key->enabled);
	jump_label_unlock();
}
EXPORT_SYMBOL_GPL(static_key_slow_inc_cpuslocked);

void static_key_slow_inc(struct static_key *key)
{
	static_key_slow_inc_cpuslocked(key);
}
EXPORT_SYMBOL_GPL(static_key_slow_inc);

void static_key_enable_cpuslocked(struct static_key *key)
{
	if (atomic_read(&key->enabled) > 0) {
		WARN_ON_ONCE_AT(135, atomic_read(&key->enabled) != 1);
		return;
	}
	jump_label_lock();
	if (atomic_read(&key->enabled) == 0)
		atomic_set(&key->enabled, 1);
	jump_label_unlock();
}
EXPORT_SYMBOL_GPL(static_key_enable_cpuslocked);

void static_key_enable(struct static_key *key)
{
	static_key_enable_cpuslocked(key);
}
EXPORT_SYMBOL_GPL(static_key_enable);

void static_key_disable_cpuslocked(struct static_key *key)
{
	if (atomic_read(&key->enabled) != 1) {
		WARN_ON_ONCE_AT(165, atomic_read(&key->enabled) != 0);
		return;
	}
	jump_label_lock();
	if (atomic_cmpxchg(&key->enabled, 1, 0))
		;	/* the branches now take their default */
	jump_label_unlock();
}
EXPORT_SYMBOL_GPL(static_key_disable_cpuslocked);

void static_key_disable(struct static_key *key)
{
	static_key_disable_cpuslocked(key);
}
EXPORT_SYMBOL_GPL(static_key_disable);

void static_key_slow_dec_cpuslocked(struct static_key *key)
{
	int v = atomic_read(&key->enabled);

	/* above one, the count just goes down; the last user takes the lock */
	while (v > 1) {
		int old = atomic_cmpxchg(&key->enabled, v, v - 1);

		if (likely(old == v))
			return;
		v = old;
	}
	jump_label_lock();
	atomic_dec(&key->enabled);
	WARN_AT(196, atomic_read(&key->enabled) < 0, "jump label: negative count!\n");
	jump_label_unlock();
}
EXPORT_SYMBOL_GPL(static_key_slow_dec_cpuslocked);

void static_key_slow_dec(struct static_key *key)
{
	static_key_slow_dec_cpuslocked(key);
}
EXPORT_SYMBOL_GPL(static_key_slow_dec);
