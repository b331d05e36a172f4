// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: seconds since the epoch to a broken-down UTC date
 * (time64_to_tm, as 4.19's kernel/time/timeconv.c exports it).  The date
 * comes from the day number by the usual era arithmetic of the proleptic
 * Gregorian calendar (eras of 400 years, March-based years).
 */
#include <linux/time.h>
#include <linux/export.h>

#define SECS_PER_DAY	86400

static const unsigned short klpsh_days_before_month[2][12] = {
	{ 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 },
	{ 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335 },
};

static int klpsh_is_leap(long year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

void time64_to_tm(time64_t totalsecs, int offset, struct tm *result)
{
	s64 days, secs, era, doe, yoe, doy, mp, year, month, mday;

	totalsecs += offset;
	days = totalsecs / SECS_PER_DAY;
	secs = totalsecs % SECS_PER_DAY;
	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	result->tm_hour = secs / 3600;
	result->tm_min = (secs % 3600) / 60;
	result->tm_sec = secs % 60;
	/* 1970-01-01 was a Thursday */
	result->tm_wday = (int)(((days + 4) % 7 + 7) % 7);

	days += 719468;			/* days from 0000-03-01 to 1970-01-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	mday = doy - (153 * mp + 2) / 5 + 1;
	month = mp < 10 ? mp + 3 : mp - 9;
	year = yoe + era * 400 + (month <= 2);

	result->tm_year = year - 1900;
	result->tm_mon = month - 1;
	result->tm_mday = mday;
	result->tm_yday = klpsh_days_before_month[klpsh_is_leap(year)][month - 1] + mday - 1;
}
EXPORT_SYMBOL(time64_to_tm);
