/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: which CPUs there are.  Every possible CPU is present and online
 * (nr_cpu_ids of them, vmlinux), so the masks are the first nr_cpu_ids bits.
 */
#ifndef __LINUX_CPUMASK_H
#define __LINUX_CPUMASK_H

#include <linux/kernel.h>
#include <linux/threads.h>
#include <linux/bitmap.h>
#include <linux/bug.h>

extern unsigned int nr_cpu_ids;

typedef struct cpumask { DECLARE_BITMAP(bits, NR_CPUS); } cpumask_t;

#define cpumask_bits(maskp)	((maskp)->bits)
/* the arguments of a "%*pb" / "%*pbl" printing a cpumask */
#define cpumask_pr_args(maskp)	nr_cpu_ids, cpumask_bits(maskp)

extern struct cpumask __cpu_possible_mask;
extern struct cpumask __cpu_online_mask;
extern struct cpumask __cpu_present_mask;
extern struct cpumask __cpu_active_mask;
#define cpu_possible_mask	((const struct cpumask *)&__cpu_possible_mask)
#define cpu_online_mask		((const struct cpumask *)&__cpu_online_mask)
#define cpu_present_mask	((const struct cpumask *)&__cpu_present_mask)
#define cpu_active_mask		((const struct cpumask *)&__cpu_active_mask)

#define nr_cpumask_bits		nr_cpu_ids
#define num_online_cpus()	nr_cpu_ids
#define num_possible_cpus()	nr_cpu_ids
#define num_present_cpus()	nr_cpu_ids
#define num_active_cpus()	nr_cpu_ids
#define cpu_online(cpu)		((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_possible(cpu)	((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_present(cpu)	((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_active(cpu)		((unsigned int)(cpu) < nr_cpu_ids)

#define for_each_cpu_upto_klpsh(cpu)	\
	for ((cpu) = 0; (cpu) < nr_cpu_ids; (cpu)++)
#define for_each_possible_cpu(cpu)	for_each_cpu_upto_klpsh(cpu)
#define for_each_online_cpu(cpu)	for_each_cpu_upto_klpsh(cpu)
#define for_each_present_cpu(cpu)	for_each_cpu_upto_klpsh(cpu)

static inline unsigned int cpumask_first(const struct cpumask *srcp)
{
	return find_first_bit(srcp->bits, nr_cpumask_bits);
}

static inline unsigned int cpumask_next(int n, const struct cpumask *srcp)
{
	return find_next_bit(srcp->bits, nr_cpumask_bits, n + 1);
}

#define for_each_cpu(cpu, mask)				\
	for ((cpu) = -1;				\
		(cpu) = cpumask_next((cpu), (mask)),	\
		(cpu) < nr_cpu_ids;)

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *dstp)
{
	set_bit(cpu, dstp->bits);
}

static inline void cpumask_clear_cpu(int cpu, struct cpumask *dstp)
{
	clear_bit(cpu, dstp->bits);
}

static inline int cpumask_test_cpu(int cpu, const struct cpumask *cpumask)
{
	return test_bit(cpu, cpumask->bits);
}

static inline void cpumask_clear(struct cpumask *dstp)
{
	bitmap_zero(dstp->bits, NR_CPUS);
}

static inline unsigned int cpumask_weight(const struct cpumask *srcp)
{
	return bitmap_weight(srcp->bits, nr_cpumask_bits);
}

#endif /* __LINUX_CPUMASK_H */
