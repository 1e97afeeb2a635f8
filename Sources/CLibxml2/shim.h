#ifndef NEWSDESK_CLIBXML2_H
#define NEWSDESK_CLIBXML2_H
// libxml2's SAX2 push parser, called directly by NewsFeeds (see DECISIONS.md: XMLParser
// on Linux bridged every callback through NSString and dictionaries, 3-4x slower).
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers clash with Foundation's own ICU module;
// nothing here uses the ICU converter fields (only pointers to the structs that hold them).
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#endif
