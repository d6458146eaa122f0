/* xml.c: escaping text for XML and HTML */
#include "base/xml.h"

#include <string.h>

void xml_text(struct buf *out, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "&<>\"'");

		buf_add(out, s, n);
		s += n;
		switch (*s) {
		case '&': buf_addstr(out, "&amp;"); break;
		case '<': buf_addstr(out, "&lt;"); break;
		case '>': buf_addstr(out, "&gt;"); break;
		case '"': buf_addstr(out, "&quot;"); break;
		case '\'': buf_addstr(out, "&#39;"); break;
		default: return;
		}
		s++;
	}
}
