/*
 * test_keygen.c: the CSCA / DSC profile of src/issue/issue_keygen.h (EU certificate governance
 * §3.2, §4.3; HCERT Appendix A.4): extensions, chain, validity rules, key files (PKCS#8, mode
 * 0600, encrypted with scrypt), refusals.
 */
#include "issue_test_util.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include "fileio.h"
#include "issue_secret.h"

static char dir[512];

static X509 *
read_cert(const char *name)
{
    char path[4096];
    uint8_t *data = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(hc_read_file(path, 1 << 20, &data, &len), HC_OK);
    X509 *x = hc_x509_parse(data, len);
    free(data);
    assert_non_null(x);
    return x;
}

static unsigned
file_mode(const char *name)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 0777;
}

static int
setup(void **state)
{
    (void)state;
    it_mkdtemp(dir, sizeof dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    it_rmdir(dir);
    return 0;
}

static void
test_csca(void **state)
{
    (void)state;
    it_make_csca(dir, "SE");
    X509 *x = read_cert("csca.pem");
    hc_cert_info info;
    assert_int_equal(hc_cert_info_from_x509(x, &info), HC_OK);
    assert_true(info.is_ca);
    assert_string_equal(info.country, "SE");
    assert_int_equal(X509_get_pathlen(x), 0); /* CA:true, pathlen 0 */
    uint32_t ku = X509_get_key_usage(x);
    assert_true(ku & KU_KEY_CERT_SIGN);
    assert_true(ku & KU_CRL_SIGN);
    assert_false(ku & KU_DIGITAL_SIGNATURE);
    assert_non_null(X509_get0_subject_key_id(x));
    assert_int_equal(X509_check_issued(x, x), X509_V_OK); /* self-signed */
    assert_int_equal(info.not_after - info.not_before, 3650 * IT_DAY_MS);
    assert_int_equal(file_mode("csca.pem"), 0644);
    assert_int_equal(file_mode("csca.key"), 0600);
    X509_free(x);
}

static void
test_dsc(void **state)
{
    (void)state;
    hc_time_ms now = hc_time_now();
    it_make_dsc(dir, "dsc_all", HC_KEY_P256, 0, now, 730, NULL);
    it_make_dsc(dir, "dsc_vt", HC_KEY_P256, HC_EKU_DCC_VACCINATION | HC_EKU_DCC_TEST, now, 730,
                NULL);
    it_make_dsc(dir, "dsc_rsa", HC_KEY_RSA3072, HC_EKU_DCC_RECOVERY, now, 730, NULL);
    X509 *ca = read_cert("csca.pem");
    static const struct {
        const char *file;
        unsigned eku;
        int bits;
    } cases[] = { { "dsc_all.pem", 0, 256 },
                  { "dsc_vt.pem", HC_EKU_DCC_VACCINATION | HC_EKU_DCC_TEST, 256 },
                  { "dsc_rsa.pem", HC_EKU_DCC_RECOVERY, 3072 } };
    for (size_t i = 0; i < 3; i++) {
        X509 *x = read_cert(cases[i].file);
        hc_cert_info info;
        assert_int_equal(hc_cert_info_from_x509(x, &info), HC_OK);
        assert_false(info.is_ca);
        assert_string_equal(info.country, "SE");
        assert_int_equal(info.dcc_eku, cases[i].eku);
        assert_int_equal(info.key_bits, cases[i].bits);
        uint32_t ku = X509_get_key_usage(x);
        assert_true(ku & KU_DIGITAL_SIGNATURE);
        assert_false(ku & KU_KEY_CERT_SIGN);
        /* Issued by the CSCA: names chain, AKI = the CSCA's SKI, the signature verifies. */
        assert_int_equal(X509_check_issued(ca, x), X509_V_OK);
        const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
        assert_non_null(aki);
        assert_int_equal(ASN1_OCTET_STRING_cmp(aki, X509_get0_subject_key_id(ca)), 0);
        assert_int_equal(X509_verify(x, X509_get0_pubkey(ca)), 1);
        assert_int_equal(info.not_after - info.not_before, 730 * IT_DAY_MS);
        X509_free(x);
    }
    X509_free(ca);
    assert_int_equal(file_mode("dsc_rsa.key"), 0600);
}

static void
test_dsc_rules(void **state)
{
    (void)state;
    char cc[4096], ck[4096], dc[4096], dk[4096], msg[256];
    hc_keygen_ca ca;
    hc_keygen_result res;
    it_path(cc, sizeof cc, dir, "csca.pem");
    it_path(ck, sizeof ck, dir, "csca.key");
    it_path(dc, sizeof dc, dir, "r.pem");
    it_path(dk, sizeof dk, dir, "r.key");
    assert_int_equal(hc_keygen_ca_load(cc, ck, NULL, &ca, msg, sizeof msg), HC_OK);

    /* A DSC is issued by the CSCA of its own country. */
    hc_keygen_params p = {
        .country = "DK", .key_type = HC_KEY_P256, .not_before = hc_time_now(), .days = 30
    };
    assert_int_equal(hc_keygen_dsc(&p, &ca, NULL, dc, dk, false, &res, msg, sizeof msg),
                     HC_ERR_INVALID_ARG);
    assert_non_null(strstr(msg, "country"));
    /* Never past the CSCA's end (shell model): 100 years are cut to the CSCA's notAfter. */
    p.country = "SE";
    p.days = 36500;
    assert_int_equal(hc_keygen_dsc(&p, &ca, NULL, dc, dk, false, &res, msg, sizeof msg), HC_OK);
    assert_int_equal(res.not_after, ca.not_after);
    /* Existing files are kept unless overwrite. */
    assert_int_equal(hc_keygen_dsc(&p, &ca, NULL, dc, dk, false, &res, msg, sizeof msg), HC_ERR_IO);
    assert_non_null(strstr(msg, "exists"));
    assert_int_equal(hc_keygen_dsc(&p, &ca, NULL, dc, dk, true, &res, msg, sizeof msg), HC_OK);
    /* Bad parameters. */
    p.days = 0;
    assert_int_equal(hc_keygen_dsc(&p, &ca, NULL, dc, dk, true, &res, msg, sizeof msg),
                     HC_ERR_INVALID_ARG);
    p.days = 30;
    p.country = "se";
    assert_int_equal(hc_keygen_dsc(&p, &ca, NULL, dc, dk, true, &res, msg, sizeof msg),
                     HC_ERR_INVALID_ARG);
    p.country = "SE";
    p.key_type = HC_KEY_ED25519;
    assert_int_equal(hc_keygen_dsc(&p, &ca, NULL, dc, dk, true, &res, msg, sizeof msg),
                     HC_ERR_INVALID_ARG);
    hc_keygen_ca_free(&ca);
    /* A DSC is not a CA: it cannot issue. */
    it_path(cc, sizeof cc, dir, "r.pem");
    it_path(ck, sizeof ck, dir, "r.key");
    assert_int_equal(hc_keygen_ca_load(cc, ck, NULL, &ca, msg, sizeof msg), HC_ERR_KEY_INVALID);
}

static void
test_encrypted_key(void **state)
{
    (void)state;
    char key[4096], msg[256];
    it_make_dsc(dir, "enc", HC_KEY_P256, 0, hc_time_now(), 30, "s3cret pass");
    it_path(key, sizeof key, dir, "enc.key");
    uint8_t *pem = NULL;
    size_t len = 0;
    assert_int_equal(hc_read_file(key, 1 << 16, &pem, &len), HC_OK);
    assert_non_null(strstr((char *)pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    /* PBES2 with scrypt and AES-256-CBC (the PEM's DER names both algorithms). */
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    X509_SIG *p8 = PEM_read_bio_PKCS8(b, NULL, NULL, NULL);
    assert_non_null(p8);
    const X509_ALGOR *alg = NULL;
    X509_SIG_get0(p8, &alg, NULL);
    assert_int_equal(OBJ_obj2nid(alg->algorithm), NID_pbes2);
    PBE2PARAM *pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
    assert_non_null(pbe2);
    assert_int_equal(OBJ_obj2nid(pbe2->keyfunc->algorithm), NID_id_scrypt);
    assert_int_equal(OBJ_obj2nid(pbe2->encryption->algorithm), NID_aes_256_cbc);
    PBE2PARAM_free(pbe2);
    X509_SIG_free(p8);
    BIO_free(b);
    free(pem);
    assert_int_equal(file_mode("enc.key"), 0600);

    EVP_PKEY *k = NULL;
    hc_passphrase good = { .text = (char *)"s3cret pass", .len = 11 };
    hc_passphrase bad = { .text = (char *)"s3cret pas", .len = 10 };
    assert_int_equal(hc_private_key_load(key, &good, &k, msg, sizeof msg), HC_OK);
    EVP_PKEY_free(k);
    assert_int_equal(hc_private_key_load(key, &bad, &k, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_int_equal(hc_private_key_load(key, NULL, &k, msg, sizeof msg), HC_ERR_KEY_INVALID);
    /* The plain keys are PKCS#8 too. */
    it_path(key, sizeof key, dir, "csca.key");
    assert_int_equal(hc_read_file(key, 1 << 16, &pem, &len), HC_OK);
    assert_non_null(strstr((char *)pem, "-----BEGIN PRIVATE KEY-----"));
    free(pem);
}

/* Passphrase files: the first line, without its line break; bounded. */
static void
test_passphrase_file(void **state)
{
    (void)state;
    char path[4096], msg[256];
    hc_passphrase p;
    it_path(path, sizeof path, dir, "pass");
    assert_int_equal(hc_write_file(path, "first line\r\nsecond\n", 19, 0600), HC_OK);
    assert_int_equal(hc_passphrase_read(path, &p, msg, sizeof msg), HC_OK);
    assert_string_equal(p.text, "first line");
    assert_int_equal(p.len, 10);
    hc_passphrase_wipe(&p);
    assert_null(p.text);
    assert_int_equal(hc_write_file(path, "no newline", 10, 0600), HC_OK);
    assert_int_equal(hc_passphrase_read(path, &p, msg, sizeof msg), HC_OK);
    assert_string_equal(p.text, "no newline");
    hc_passphrase_wipe(&p);
    char big[3000];
    memset(big, 'x', sizeof big);
    assert_int_equal(hc_write_file(path, big, sizeof big, 0600), HC_OK);
    assert_int_equal(hc_passphrase_read(path, &p, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_int_equal(hc_write_file(path, "\nsecond", 7, 0600), HC_OK);
    assert_int_equal(hc_passphrase_read(path, &p, msg, sizeof msg), HC_ERR_KEY_INVALID);
    hc_passphrase_wipe(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csca),
        cmocka_unit_test(test_dsc),
        cmocka_unit_test(test_dsc_rules),
        cmocka_unit_test(test_encrypted_key),
        cmocka_unit_test(test_passphrase_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
