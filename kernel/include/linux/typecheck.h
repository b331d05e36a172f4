/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TYPECHECK_H_INCLUDED
#define TYPECHECK_H_INCLUDED

/* Evaluates to 1; warns at compile time ("distinct pointer types") if x is not of type 'type'. */
#define typecheck(type, x)				\
({							\
	type __dummy;					\
	typeof(x) __dummy2;				\
	(void)(&__dummy == &__dummy2);			\
	1;						\
})

#define typecheck_fn(type, function)			\
({							\
	typeof(type) __tmp = function;			\
	(void)__tmp;					\
})

#endif
