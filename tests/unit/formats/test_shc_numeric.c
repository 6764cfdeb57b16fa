/*
 * test_shc_numeric.c: the SMART Health Card numeric encoding (shc_numeric.h): the spec's example
 * ('X' is 43), the full range '-'..'z', every refusal, and chunk reassembly in any order with its
 * header rules.
 */
#include "testlib.h"

#include <string.h>

#include "shc_numeric.h"

static void
test_encode_decode(void **state)
{
    (void)state;
    char out[256], back[128];
    size_t n = 0, m = 0;
    /* SHC spec §"Encoding QRs": 'X' is ord 88, 88 - 45 = 43. */
    assert_int_equal(hc_shc_numeric_encode("X", 1, out, sizeof out, &n), HC_OK);
    assert_string_equal(out, "43");
    /* Every character a compact JWS can hold, '-' (00) to 'z' (77). */
    char all[80];
    size_t k = 0;
    for (int c = '-'; c <= 'z'; c++) {
        all[k++] = (char)c;
    }
    assert_int_equal(hc_shc_numeric_encode(all, k, out, sizeof out, &n), HC_OK);
    assert_int_equal(n, 2 * k);
    assert_memory_equal(out, "00", 2);
    assert_memory_equal(out + n - 2, "77", 2);
    assert_int_equal(hc_shc_numeric_decode(out, n, back, sizeof back, &m), HC_OK);
    assert_int_equal(m, k);
    assert_memory_equal(back, all, k);
    /* Refusals. */
    assert_int_equal(hc_shc_numeric_encode(",", 1, out, sizeof out, &n), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_shc_numeric_encode("{", 1, out, sizeof out, &n), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_shc_numeric_encode("ab", 2, out, 4, &n), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_shc_numeric_decode("567", 3, back, sizeof back, &m),
                     HC_ERR_ENCODING_INVALID);
    assert_int_equal(hc_shc_numeric_decode("78", 2, back, sizeof back, &m),
                     HC_ERR_ENCODING_INVALID);
    assert_int_equal(hc_shc_numeric_decode("99", 2, back, sizeof back, &m),
                     HC_ERR_ENCODING_INVALID);
    assert_int_equal(hc_shc_numeric_decode("5 ", 2, back, sizeof back, &m),
                     HC_ERR_ENCODING_INVALID);
    assert_int_equal(hc_shc_numeric_decode("5676", 4, back, 1, &m), HC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(hc_shc_numeric_decode("", 0, back, sizeof back, &m), HC_OK);
    assert_int_equal(m, 0);
}

static hc_err
unchunk(const char *text, int allow, char *jws, size_t *n, size_t *chunks)
{
    char why[200];
    return hc_shc_unchunk(text, strlen(text), "shc:/", allow, jws, 4096, n, chunks, why,
                          sizeof why);
}

static void
test_chunks(void **state)
{
    (void)state;
    char jws[4096];
    size_t n = 0, chunks = 0;
    /* "ab" "cd" "ef" in three chunks, in any order, with white space around lines. */
    assert_int_equal(
        unchunk("shc:/2/3/5455\n  shc:/1/3/5253 \r\n\nshc:/3/3/5657\n", 1, jws, &n, &chunks),
        HC_OK);
    assert_int_equal(chunks, 3);
    assert_int_equal(n, 6);
    assert_memory_equal(jws, "abcdef", 6);
    assert_int_equal(unchunk("shc:/5253", 1, jws, &n, &chunks), HC_OK);
    assert_int_equal(chunks, 1);
    assert_memory_equal(jws, "ab", 2);
    const struct {
        const char *text;
        hc_err want;
    } bad[] = {
        { "", HC_ERR_PREFIX_UNKNOWN },
        { "\n \n", HC_ERR_PREFIX_UNKNOWN },
        { "xyz:/5253", HC_ERR_PREFIX_UNKNOWN },
        { "shc:/5253\nxyz:/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/1/1/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/1/2/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/1/2/5253\nshc:/1/2/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/1/2/5253\nshc:/3/2/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/0/2/5253\nshc:/2/2/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/1/2/5253\nshc:/2/3/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/1/2/5253\nshc:/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/5253\nshc:/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/1/2/525\nshc:/2/2/5253", HC_ERR_ENCODING_INVALID },
        { "shc:/1//5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/123/2/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/a/2/5253", HC_ERR_STRUCTURE_INVALID },
        { "shc:/52/53", HC_ERR_STRUCTURE_INVALID },
        { "shc:/12/12/5253\nshc:/1/12/5253", HC_ERR_STRUCTURE_INVALID },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hc_err e = unchunk(bad[i].text, 1, jws, &n, &chunks);
        if (e != bad[i].want) {
            fail_msg("case %zu (%s): %s", i, bad[i].text, hc_err_code(e));
        }
    }
    /* Chunk headers where none are allowed (the VC-JWT QR form). */
    assert_int_equal(unchunk("shc:/1/2/5253\nshc:/2/2/5253", 0, jws, &n, &chunks),
                     HC_ERR_STRUCTURE_INVALID);
    /* A line over 4 KiB. */
    char *big = malloc(5000);
    strcpy(big, "shc:/");
    memset(big + 5, '5', 4200);
    big[4205] = '\0';
    assert_int_equal(unchunk(big, 1, jws, &n, &chunks), HC_ERR_INPUT_TOO_LARGE);
    free(big);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_decode),
        cmocka_unit_test(test_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
