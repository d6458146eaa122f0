/* wish.c: the state machine of a micro-wish (寻梦 → 揽梦 → 圆梦) and the masked name of its beneficiary */
#include "domain/wish.h"

#include <string.h>


const char *const wish_steps[] = { "approve", "refuse", "publish", "expire", "claim", "release", "fulfil", "confirm",
				   NULL };

/* Each step: the state it leaves (two for publish) and the state it reaches. */
static const struct {
	const char *from, *also, *to;
} moves[] = {
	[WISH_APPROVE] = { "submitted", NULL, "approved" },  [WISH_REFUSE] = { "submitted", NULL, "refused" },
	[WISH_PUBLISH] = { "approved", "expired", "published" }, [WISH_EXPIRE] = { "published", NULL, "expired" },
	[WISH_CLAIM] = { "published", NULL, "claimed" },     [WISH_RELEASE] = { "claimed", NULL, "published" },
	[WISH_FULFIL] = { "claimed", NULL, "fulfilled" },    [WISH_CONFIRM] = { "fulfilled", NULL, "closed" },
};

const char *wish_next(const char *state, enum wish_step step)
{
	if ((unsigned)step >= sizeof(moves) / sizeof(moves[0]) || !state)
		return NULL;
	if (!strcmp(state, moves[step].from) || (moves[step].also && !strcmp(state, moves[step].also)))
		return moves[step].to;
	return NULL;
}

void wish_mask_name(const char *name, char *out, size_t size)
{
	size_t n = 1;

	if (!size)
		return;
	out[0] = '\0';
	if (!name || !name[0])
		return;
	/* The first character's bytes: a lead byte and its continuation bytes (10xxxxxx). */
	while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
		n++;
	if (n + 2 > size)
		return;
	memcpy(out, name, n);
	out[n] = '*';
	out[n + 1] = '\0';
}
