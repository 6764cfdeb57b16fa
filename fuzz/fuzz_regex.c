/*
 * fuzz_regex.c: ecma_regex on arbitrary patterns and inputs. The input is "pattern NUL text"
 * (no NUL: the pattern is matched against itself). The pattern is compiled twice, as a Pike VM
 * and (when small enough) as a DFA: both must compile or refuse alike and give the same answer,
 * so each engine is the other's oracle. Never a crash or a hang (both engines are linear).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecma_regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t plen = nul != NULL ? (size_t)(nul - data) : size;
    const char *pattern = (const char *)data;
    const char *text = nul != NULL ? (const char *)nul + 1 : pattern;
    size_t tlen = nul != NULL ? size - plen - 1 : size;

    hc_regex *pike = NULL, *dfa = NULL;
    char err1[128], err2[128];
    hc_err r1 = hc_regex_compile(pattern, plen, HC_REGEX_NO_DFA, &pike, err1, sizeof err1);
    hc_err r2 = hc_regex_compile(pattern, plen, 0, &dfa, err2, sizeof err2);
    if (r1 != r2 || (r1 == HC_OK) != (pike != NULL) || (r2 == HC_OK) != (dfa != NULL)) {
        abort();
    }
    if (r1 == HC_OK) {
        int a = hc_regex_match(pike, text, tlen);
        int b = hc_regex_match(dfa, text, tlen);
        if (a != b || a < 0) {
            abort(); /* the engines disagree */
        }
    } else if (r1 != HC_ERR_INVALID_ARG && r1 != HC_ERR_UNSUPPORTED && r1 != HC_ERR_NOMEM) {
        abort();
    } else if (strcmp(err1, err2) != 0 || err1[0] == '\0') {
        abort(); /* a refusal always says why, the same way */
    }
    hc_regex_free(pike);
    hc_regex_free(dfa);
    return 0;
}
