/* klib_llkd.h: our 'library' header */
#ifndef __KLIB_LLKD_H__
#define __KLIB_LLKD_H__
u64 powerof(int base, int exponent);
#endif
