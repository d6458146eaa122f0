/* mask.h: personal data partly hidden for public pages: a name shown as 张*元 */
#ifndef BASE_MASK_H
#define BASE_MASK_H

#include <stddef.h>

/*
 * name (valid UTF-8) with all but its first and last characters hidden
 * behind one '*' (so the mask tells nothing of the length): 张三元 → 张*元,
 * 欧阳娜娜 → 欧*娜; a name of two characters keeps its first (李*), one of
 * one character shows only '*'. Characters are
 * counted, not bytes: a four-byte character is one. out holds n bytes
 * (the name's own size is always enough).
 */
void mask_name(const char *name, char *out, size_t n);

#endif
