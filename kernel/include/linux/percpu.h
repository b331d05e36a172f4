/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpsh: per-CPU variables (4.19's linux/percpu.h and percpu-defs.h).  A
 * DEFINE_PER_CPU variable lives in .data..percpu, which the module loader
 * copies into every CPU's area; a per-CPU pointer is CPU 0's copy, and
 * __per_cpu_offset[cpu] (vmlinux) leads to the others (kernel/percpu.py).
 * Guest code runs as CPU smp_processor_id().
 */
#ifndef __LINUX_PERCPU_H
#define __LINUX_PERCPU_H

#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/types.h>

#define PER_CPU_BASE_SECTION	".data..percpu"
#define PERCPU_MODULE_RESERVE	(8 << 10)

extern unsigned long __per_cpu_offset[NR_CPUS];

#define __percpu_attr_klpsh	__attribute__((section(PER_CPU_BASE_SECTION)))

#define DECLARE_PER_CPU(type, name)	extern __percpu_attr_klpsh __typeof__(type) name
#define DEFINE_PER_CPU(type, name)	__percpu_attr_klpsh __typeof__(type) name
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name)	DEFINE_PER_CPU(type, name) ____cacheline_aligned
#define DEFINE_PER_CPU_ALIGNED(type, name)	DEFINE_PER_CPU(type, name) ____cacheline_aligned
#define DEFINE_PER_CPU_READ_MOSTLY(type, name)	DEFINE_PER_CPU(type, name)
#define EXPORT_PER_CPU_SYMBOL(var)		EXPORT_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var)		EXPORT_SYMBOL_GPL(var)

#define per_cpu_offset(cpu)	(__per_cpu_offset[(cpu)])
#define per_cpu_ptr(ptr, cpu)	\
	((typeof(ptr))((unsigned long)(ptr) + per_cpu_offset(cpu)))
#define raw_cpu_ptr(ptr)	per_cpu_ptr(ptr, raw_smp_processor_id())
#define this_cpu_ptr(ptr)	per_cpu_ptr(ptr, smp_processor_id())
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))

#define get_cpu_var(var)	(*({ preempt_disable(); this_cpu_ptr(&(var)); }))
#define put_cpu_var(var)	do { (void)&(var); preempt_enable(); } while (0)
#define get_cpu_ptr(var)	({ preempt_disable(); this_cpu_ptr(var); })
#define put_cpu_ptr(var)	do { (void)(var); preempt_enable(); } while (0)

#define this_cpu_read(pcp)		(*this_cpu_ptr(&(pcp)))
#define this_cpu_write(pcp, val)	do { *this_cpu_ptr(&(pcp)) = (val); } while (0)
#define this_cpu_add(pcp, val)		do { *this_cpu_ptr(&(pcp)) += (val); } while (0)
#define this_cpu_sub(pcp, val)		this_cpu_add(pcp, -(typeof(pcp))(val))
#define this_cpu_inc(pcp)		this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)		this_cpu_sub(pcp, 1)
#define this_cpu_add_return(pcp, val)	({ *this_cpu_ptr(&(pcp)) += (val); })
#define this_cpu_inc_return(pcp)	this_cpu_add_return(pcp, 1)
#define this_cpu_dec_return(pcp)	this_cpu_add_return(pcp, -1)
#define this_cpu_xchg(pcp, nval)	({ typeof(pcp) __o = this_cpu_read(pcp); this_cpu_write(pcp, nval); __o; })
#define __this_cpu_read(pcp)		this_cpu_read(pcp)
#define __this_cpu_write(pcp, val)	this_cpu_write(pcp, val)
#define __this_cpu_add(pcp, val)	this_cpu_add(pcp, val)
#define __this_cpu_sub(pcp, val)	this_cpu_sub(pcp, val)
#define __this_cpu_inc(pcp)		this_cpu_inc(pcp)
#define __this_cpu_dec(pcp)		this_cpu_dec(pcp)
#define raw_cpu_read(pcp)		this_cpu_read(pcp)
#define raw_cpu_write(pcp, val)		this_cpu_write(pcp, val)
#define raw_cpu_add(pcp, val)		this_cpu_add(pcp, val)
#define raw_cpu_inc(pcp)		this_cpu_inc(pcp)

extern void __percpu *__alloc_percpu(size_t size, size_t align);
extern void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp);
extern void free_percpu(void __percpu *__pdata);

#define alloc_percpu_gfp(type, gfp)					\
	(typeof(type) __percpu *)__alloc_percpu_gfp(sizeof(type), __alignof__(type), gfp)
#define alloc_percpu(type)						\
	(typeof(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type))

#endif /* __LINUX_PERCPU_H */
