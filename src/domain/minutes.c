/* minutes.c: the minutes rule, one pure function (docs/serving.md, "The minutes rule") */
#include "domain/minutes.h"

#include <stddef.h>

const char *const attendance_statuses[] = { "present", "late", "left_early", "absent", "leave", NULL };

void minutes_credit(const struct minutes_input *in, struct minutes_result *out)
{
	int64_t from, to;

	*out = (struct minutes_result){ .status = ATT_ABSENT };
	if (!in->checkin_at) {
		out->status = in->on_leave ? ATT_ON_LEAVE : ATT_ABSENT;
		return;
	}
	out->late = in->checkin_at > in->starts_at + MINUTES_GRACE;
	out->left_early = in->checkout_at && in->checkout_at < in->ends_at - MINUTES_GRACE;
	out->status = out->left_early ? ATT_LEFT_EARLY : out->late ? ATT_LATE : ATT_PRESENT;
	from = in->checkin_at > in->starts_at ? in->checkin_at : in->starts_at;
	if (in->checkout_at)
		to = in->checkout_at < in->ends_at ? in->checkout_at : in->ends_at;
	else if (in->until_end)
		to = in->ends_at;
	else {
		out->unconfirmed = true;
		return;
	}
	out->minutes = to > from ? (to - from) / 60 : 0;
	if (in->cap > 0 && out->minutes > in->cap)
		out->minutes = in->cap;
}
