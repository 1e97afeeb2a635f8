// libxml2 through dlopen: see include/CLibxml2.h.
#include "CLibxml2.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    void (*InitParser)(void);
    xmlParserCtxtPtr (*CreatePushParserCtxt)(xmlSAXHandlerPtr, void *, const char *, int, const char *);
    int (*CtxtUseOptions)(xmlParserCtxtPtr, int);
    int (*SwitchEncoding)(xmlParserCtxtPtr, xmlCharEncoding);
    int (*ParseChunk)(xmlParserCtxtPtr, const char *, int, int);
    void (*StopParser)(xmlParserCtxtPtr);
    void (*FreeDoc)(xmlDocPtr);
    void (*FreeParserCtxt)(xmlParserCtxtPtr);
    int (*SAX2GetLineNumber)(void *);
    startDocumentSAXFunc SAX2StartDocument;
    internalSubsetSAXFunc SAX2InternalSubset;
    entityDeclSAXFunc SAX2EntityDecl;
    getEntitySAXFunc SAX2GetEntity;
} xml;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char problem[256];

static void *symbol(void *library, const char *name, int *missing) {
    void *p = dlsym(library, name);
    if (!p && !*missing) {
        *missing = 1;
        snprintf(problem, sizeof problem, "libxml2 has no %s (too old a libxml2?)", name);
    }
    return p;
}

static void load(void) {
    // The soname, as Debian's libxml2 package installs it (libxml2-dev adds only libxml2.so).
    void *library = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libxml2.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(problem, sizeof problem, "libxml2 could not be loaded (install libxml2): %s", dlerror());
        return;
    }
    int missing = 0;
#define LOAD(field, name) xml.field = (__typeof__(xml.field))symbol(library, name, &missing)
    LOAD(InitParser, "xmlInitParser");
    LOAD(CreatePushParserCtxt, "xmlCreatePushParserCtxt");
    LOAD(CtxtUseOptions, "xmlCtxtUseOptions");
    LOAD(SwitchEncoding, "xmlSwitchEncoding");
    LOAD(ParseChunk, "xmlParseChunk");
    LOAD(StopParser, "xmlStopParser");
    LOAD(FreeDoc, "xmlFreeDoc");
    LOAD(FreeParserCtxt, "xmlFreeParserCtxt");
    LOAD(SAX2GetLineNumber, "xmlSAX2GetLineNumber");
    LOAD(SAX2StartDocument, "xmlSAX2StartDocument");
    LOAD(SAX2InternalSubset, "xmlSAX2InternalSubset");
    LOAD(SAX2EntityDecl, "xmlSAX2EntityDecl");
    LOAD(SAX2GetEntity, "xmlSAX2GetEntity");
#undef LOAD
    if (missing) return;
    xml.InitParser();
    loaded = 1;
}

int ndxml_load(void) {
    pthread_once(&once, load);
    return loaded;
}

const char *ndxml_load_error(void) {
    ndxml_load();
    return loaded ? NULL : problem;
}

void ndxml_set_sax2_defaults(xmlSAXHandler *handler) {
    handler->startDocument = xml.SAX2StartDocument;
    handler->internalSubset = xml.SAX2InternalSubset;
    handler->entityDecl = xml.SAX2EntityDecl;
    handler->getEntity = xml.SAX2GetEntity;
}

xmlParserCtxtPtr ndxml_CreatePushParserCtxt(xmlSAXHandlerPtr sax, void *user_data, const char *chunk, int size,
                                            const char *filename) {
    return xml.CreatePushParserCtxt(sax, user_data, chunk, size, filename);
}
int ndxml_CtxtUseOptions(xmlParserCtxtPtr ctxt, int options) { return xml.CtxtUseOptions(ctxt, options); }
int ndxml_SwitchEncoding(xmlParserCtxtPtr ctxt, xmlCharEncoding encoding) { return xml.SwitchEncoding(ctxt, encoding); }
int ndxml_ParseChunk(xmlParserCtxtPtr ctxt, const char *chunk, int size, int terminate) {
    return xml.ParseChunk(ctxt, chunk, size, terminate);
}
void ndxml_StopParser(xmlParserCtxtPtr ctxt) { xml.StopParser(ctxt); }
void ndxml_FreeDoc(xmlDocPtr doc) { xml.FreeDoc(doc); }
void ndxml_FreeParserCtxt(xmlParserCtxtPtr ctxt) { xml.FreeParserCtxt(ctxt); }
int ndxml_SAX2GetLineNumber(void *ctx) { return xml.SAX2GetLineNumber(ctx); }
