/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_THREADS_H
#define _LINUX_THREADS_H

/* the most CPUs the configuration allows (the machine has nr_cpu_ids of them) */
#define NR_CPUS		CONFIG_NR_CPUS

#define PID_MAX_DEFAULT	0x8000
#define PID_MAX_LIMIT	(4 * 1024 * 1024)

#endif
