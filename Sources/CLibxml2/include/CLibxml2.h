#ifndef NEWSDESK_CLIBXML2_H
#define NEWSDESK_CLIBXML2_H
// libxml2's SAX2 push parser, called directly by NewsFeeds (see DECISIONS.md: XMLParser
// on Linux bridged every callback through NSString and dictionaries, 3-4x slower).
//
// libxml2 is loaded with dlopen the first time a feed or OPML file is parsed, not linked:
// linked, it loaded with every start of newsdesk (and ICU, liblzma and zlib with it), which
// cost the start-up to the first frame about 1.5 ms though most runs parse no XML at all
// (DECISIONS.md, 2026-12-02). Only its types and constants come from its headers; every
// function NewsFeeds calls is one of the ndxml_ ones below, which call through a table
// filled once by ndxml_load().
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers clash with Foundation's own ICU module;
// nothing here uses the ICU converter fields (only pointers to the structs that hold them).
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>

/// Loads libxml2 and initialises it, once (thread-safe). 1 when it is there, else 0, and
/// ndxml_load_error() says why (for example that libxml2 is not installed).
int ndxml_load(void);
/// Why ndxml_load() failed, or NULL.
const char *ndxml_load_error(void);

/// Puts libxml2's own SAX2 handlers for the document start, the internal subset and the
/// entities into `handler` (the rest of it is the caller's). ndxml_load() must have succeeded.
void ndxml_set_sax2_defaults(xmlSAXHandler *handler);

// libxml2's functions of the same names without the nd prefix; ndxml_load() must have succeeded.
xmlParserCtxtPtr ndxml_CreatePushParserCtxt(xmlSAXHandlerPtr sax, void *user_data, const char *chunk, int size,
                                            const char *filename);
int ndxml_CtxtUseOptions(xmlParserCtxtPtr ctxt, int options);
int ndxml_SwitchEncoding(xmlParserCtxtPtr ctxt, xmlCharEncoding encoding);
int ndxml_ParseChunk(xmlParserCtxtPtr ctxt, const char *chunk, int size, int terminate);
void ndxml_StopParser(xmlParserCtxtPtr ctxt);
void ndxml_FreeDoc(xmlDocPtr doc);
void ndxml_FreeParserCtxt(xmlParserCtxtPtr ctxt);
int ndxml_SAX2GetLineNumber(void *ctx);

#endif
