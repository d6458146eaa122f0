/* xml.h: text written into XML and HTML (SVG posters, printable pages), with its markup characters escaped */
#ifndef BASE_XML_H
#define BASE_XML_H

#include "base/buf.h"

/* Appends s to out with &, <, >, " and ' as entities: safe in element content and in quoted attributes. */
void xml_text(struct buf *out, const char *s);

#endif
