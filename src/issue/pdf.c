/*
 * pdf.c: the printable certificate (hc_issue_pdf_write / hc_issue_pdf_bytes, healthcert/issue.h).
 *
 * Layout, in the spirit of the EU DCC paper format (a folded card with the EU flag colours, the
 * QR code on the front and the attested data as labelled fields): an A4 portrait page whose top
 * half is an A6-sized card of two panels (105 x 148.5 mm each) to cut out along the dashed line
 * and fold along the dotted one.
 *   front panel   blue band with the EU stars, "EU DIGITAL COVID CERTIFICATE", the certificate
 *                 type and issuing country; the QR code, 40 mm square without its quiet zone
 *                 (56.6 mm diagonal: HCERT §4.2 asks for 35-60 mm), drawn as vector squares;
 *                 the holder's name and date of birth; the UVCI; the validity.
 *   detail panel  the holder (name, standardised name, date of birth) and every field of the
 *                 vaccination / test / recovery entry with its label from Regulation (EU)
 *                 2021/953 Annex and value-set display names (issue_valuesets.h); shrunk to fit
 *                 when the fields are long.
 *   lower half    how to cut and fold, and the technical details (issuer, key id, times).
 * Text uses cairo's font API with "DejaVu Sans" / "DejaVu Sans Mono" (fontconfig substitutes
 * when absent); fonts are embedded as subsets.
 */
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "fileio.h"
#include "hctime.h"
#include "healthcert/issue.h"
#include "issue_pdf.h"
#include "issue_valuesets.h"

#define MM(v)       ((v)*72.0 / 25.4)
#define PAGE_W      MM(210.0)
#define PAGE_H      MM(297.0)
#define PANEL_W     MM(105.0)
#define PANEL_H     MM(148.5)
#define PANEL_INSET MM(7.0)
#define QR_SIDE     MM(40.0)

/* The PDF holds health data: owner read/write only (as key files). */
#define PDF_FILE_MODE 0600

#define SANS "DejaVu Sans"
#define MONO "DejaVu Sans Mono"

typedef struct rgb {
    double r, g, b;
} rgb;

/* The EU flag's colours (EU visual identity: Reflex Blue and Yellow). */
static const rgb eu_blue = { 0.0, 0.2, 0.6 };
static const rgb eu_yellow = { 1.0, 0.8, 0.0 };
static const rgb black = { 0.1, 0.1, 0.1 };
static const rgb grey = { 0.38, 0.38, 0.42 };
static const rgb white = { 1.0, 1.0, 1.0 };

typedef enum align { ALIGN_LEFT, ALIGN_CENTER } align;

typedef struct text_style {
    const char *family;
    double size;
    bool bold;
    rgb colour;
    align al;
} text_style;

/* ---- text ---- */

static void
set_font(cairo_t *cr, const text_style *st)
{
    cairo_select_font_face(cr, st->family, CAIRO_FONT_SLANT_NORMAL,
                           st->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, st->size);
    cairo_set_source_rgb(cr, st->colour.r, st->colour.g, st->colour.b);
}

static double
text_width(cairo_t *cr, const char *s, size_t n)
{
    char buf[512];
    cairo_text_extents_t ext;
    if (n >= sizeof buf) {
        n = sizeof buf - 1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    cairo_text_extents(cr, buf, &ext);
    return ext.x_advance;
}

static void
draw_line(cairo_t *cr, const char *s, size_t n, double x, double baseline, double width,
          const text_style *st)
{
    char buf[512];
    if (n >= sizeof buf) {
        n = sizeof buf - 1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    double w = text_width(cr, buf, n);
    cairo_move_to(cr, st->al == ALIGN_CENTER ? x + (width - w) / 2 : x, baseline);
    cairo_show_text(cr, buf);
}

/* Length of the UTF-8 character at s (1 for a stray byte: the text is valid UTF-8 anyway). */
static size_t
char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    for (size_t i = 1; i < n; i++) {
        if (s[i] == '\0') {
            return i;
        }
    }
    return n;
}

/*
 * Word-wraps text into width from the top y; a word longer than a line is cut between
 * characters. Draws when draw is true. Returns the height used (lines x 1.25 x size).
 */
static double
text_block(cairo_t *cr, const char *text, double x, double y, double width, const text_style *st,
           bool draw)
{
    double line_h = st->size * 1.25;
    int lines = 0;
    const char *p = text;

    set_font(cr, st);
    while (*p != '\0') {
        while (*p == ' ') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        /* The longest prefix of whole words that fits; else as many characters as fit. */
        size_t fit = 0, n = 0;
        while (p[n] != '\0') {
            size_t next = n;
            while (p[next] != '\0' && p[next] != ' ') {
                next += char_len(p + next);
            }
            if (text_width(cr, p, next) > width) {
                break;
            }
            fit = next;
            n = next;
            while (p[n] == ' ') {
                n++;
            }
        }
        if (fit == 0) {
            size_t c = char_len(p);
            fit = c;
            while (p[fit] != '\0' && p[fit] != ' ' &&
                   text_width(cr, p, fit + char_len(p + fit)) <= width) {
                fit += char_len(p + fit);
            }
        }
        if (draw) {
            draw_line(cr, p, fit, x, y + lines * line_h + st->size, width, st);
        }
        lines++;
        p += fit;
    }
    return lines * line_h;
}

/* ---- the EU stars ---- */

/* A five-pointed star (outer radius r, inner r * 0.382: a regular pentagram), one point up. */
static void
star(cairo_t *cr, double cx, double cy, double r)
{
    for (int i = 0; i < 10; i++) {
        double a = -M_PI / 2 + i * M_PI / 5;
        double rr = i % 2 ? r * 0.382 : r;
        if (i == 0) {
            cairo_move_to(cr, cx + rr * cos(a), cy + rr * sin(a));
        } else {
            cairo_line_to(cr, cx + rr * cos(a), cy + rr * sin(a));
        }
    }
    cairo_close_path(cr);
}

/* Twelve stars in a circle of radius ring (the EU emblem: stars at the hours of a clock). */
static void
eu_stars(cairo_t *cr, double cx, double cy, double ring)
{
    cairo_set_source_rgb(cr, eu_yellow.r, eu_yellow.g, eu_yellow.b);
    for (int k = 0; k < 12; k++) {
        double a = k * M_PI / 6;
        star(cr, cx + ring * cos(a), cy + ring * sin(a), ring / 6);
    }
    cairo_fill(cr);
}

/* ---- the fields ---- */

typedef struct field {
    const char *label;
    char value[320];
    bool mono;
} field;

#define MAX_FIELDS 16

typedef struct fields {
    field f[MAX_FIELDS];
    size_t n;
} fields;

static const char *
str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static void
add(fields *fs, const char *label, const char *value, bool mono)
{
    if (value == NULL || value[0] == '\0' || fs->n >= MAX_FIELDS) {
        return;
    }
    fs->f[fs->n].label = label;
    snprintf(fs->f[fs->n].value, sizeof fs->f[fs->n].value, "%s", value);
    fs->f[fs->n].mono = mono;
    fs->n++;
}

/* A coded value with its display name from the value set; the code when it has none. */
static void
add_coded(fields *fs, const char *label, const char *valueset, const char *code)
{
    const char *display = hc_valueset_display(valueset, code);
    add(fs, label, display ? display : code, false);
}

/* "Netherlands (NL)" */
static void
country_text(const char *code, char *out, size_t cap)
{
    const char *name = hc_valueset_display(HC_VS_COUNTRY, code);
    if (name != NULL) {
        snprintf(out, cap, "%s (%s)", name, code);
    } else {
        snprintf(out, cap, "%s", code ? code : "");
    }
}

static void
holder_name(const json_t *dcc, char *out, size_t cap)
{
    const json_t *nam = json_object_get(dcc, "nam");
    const char *fn = str(nam, "fn"), *gn = str(nam, "gn");
    if (fn == NULL && gn == NULL) {
        fn = str(nam, "fnt");
        gn = str(nam, "gnt");
    }
    snprintf(out, cap, "%s%s%s", fn ? fn : "", fn && gn ? ", " : "", gn ? gn : "");
}

/* The holder and the entry, with the labels of Regulation (EU) 2021/953 Annex. */
static void
collect_fields(const hc_issue_result *r, fields *fs)
{
    const json_t *dcc = r->dcc, *nam = json_object_get(dcc, "nam");
    char buf[320];
    const char *key = r->type == 'v' ? "v" : r->type == 't' ? "t" : "r";
    const json_t *e = json_array_get(json_object_get(dcc, key), 0);

    memset(fs, 0, sizeof *fs);
    holder_name(dcc, buf, sizeof buf);
    add(fs, "Surname(s) and forename(s)", buf, false);
    const char *fnt = str(nam, "fnt"), *gnt = str(nam, "gnt");
    snprintf(buf, sizeof buf, "%s<<%s", fnt ? fnt : "", gnt ? gnt : "");
    add(fs, "Standardised surname(s) and forename(s)", buf, true);
    add(fs, "Date of birth", str(dcc, "dob"), false);
    add_coded(fs, "Disease or agent targeted", HC_VS_DISEASE, str(e, "tg"));
    if (r->type == 'v') {
        add_coded(fs, "Vaccine/prophylaxis", HC_VS_PROPHYLAXIS, str(e, "vp"));
        add_coded(fs, "Vaccine medicinal product", HC_VS_PRODUCT, str(e, "mp"));
        add_coded(fs, "Vaccine marketing authorisation holder or manufacturer", HC_VS_MANUFACTURER,
                  str(e, "ma"));
        snprintf(buf, sizeof buf, "%lld / %lld",
                 (long long)json_integer_value(json_object_get(e, "dn")),
                 (long long)json_integer_value(json_object_get(e, "sd")));
        add(fs, "Number in a series of doses", buf, false);
        add(fs, "Date of vaccination", str(e, "dt"), false);
        country_text(str(e, "co"), buf, sizeof buf);
        add(fs, "Member State or third country in which the vaccine was administered", buf, false);
    } else if (r->type == 't') {
        add_coded(fs, "Type of test", HC_VS_TEST_TYPE, str(e, "tt"));
        add(fs, "Test name (NAAT)", str(e, "nm"), false);
        add_coded(fs, "Test device (RAT)", HC_VS_TEST_DEVICE, str(e, "ma"));
        snprintf(buf, sizeof buf, "%s", str(e, "sc") ? str(e, "sc") : "");
        char *t = strchr(buf, 'T');
        if (t != NULL) {
            *t = ' '; /* "2021-06-10 10:00:00Z": easier to read, same value */
        }
        add(fs, "Date and time of the test sample collection", buf, false);
        add_coded(fs, "Result of the test", HC_VS_TEST_RESULT, str(e, "tr"));
        add(fs, "Testing centre or facility", str(e, "tc"), false);
        country_text(str(e, "co"), buf, sizeof buf);
        add(fs, "Member State or third country in which the test was carried out", buf, false);
    } else {
        add(fs, "Date of first positive NAAT test result", str(e, "fr"), false);
        country_text(str(e, "co"), buf, sizeof buf);
        add(fs, "Member State or third country in which the test was carried out", buf, false);
        add(fs, "Certificate valid from", str(e, "df"), false);
        add(fs, "Certificate valid until", str(e, "du"), false);
    }
    add(fs, "Certificate issuer", str(e, "is"), false);
    add(fs, "Unique certificate identifier", r->uvci, true);
}

static const char *
type_title(char type)
{
    return type == 'v'   ? "Vaccination certificate"
           : type == 't' ? "Test certificate"
                         : "Recovery certificate";
}

/* Height of the field list at scale s (draw: also draws it from y). */
static double
field_list(cairo_t *cr, const fields *fs, double x, double y, double width, double s, bool draw)
{
    double h = 0;
    for (size_t i = 0; i < fs->n; i++) {
        text_style label = { SANS, 6.2 * s, false, grey, ALIGN_LEFT };
        text_style value = { fs->f[i].mono ? MONO : SANS, 8.6 * s, false, black, ALIGN_LEFT };
        if (fs->f[i].mono) {
            value.size = 7.4 * s;
        }
        h += text_block(cr, fs->f[i].label, x, y + h, width, &label, draw);
        h += MM(0.4);
        h += text_block(cr, fs->f[i].value, x, y + h, width, &value, draw);
        h += MM(2.2) * s;
    }
    return h;
}

/* ---- the page ---- */

/* The front panel's text under the QR code at scale s; returns its height (draws when draw). */
static double
front_text(cairo_t *cr, const hc_issue_result *r, double x0, double y0, double w, double s,
           bool draw)
{
    char buf[320], a[16], b[16];
    double y = y0;
    text_style caption = { SANS, 6.5 * s, false, grey, ALIGN_CENTER };
    y += text_block(cr, "Scan to verify", x0, y, w, &caption, draw) + MM(3) * s;
    holder_name(r->dcc, buf, sizeof buf);
    text_style name = { SANS, 12 * s, true, black, ALIGN_CENTER };
    y += text_block(cr, buf, x0, y, w, &name, draw) + MM(1) * s;
    const char *dob = json_string_value(json_object_get(r->dcc, "dob"));
    snprintf(buf, sizeof buf, "Date of birth: %s", dob && dob[0] ? dob : "unknown");
    text_style normal = { SANS, 8.5 * s, false, black, ALIGN_CENTER };
    y += text_block(cr, buf, x0, y, w, &normal, draw) + MM(3) * s;
    text_style mono = { MONO, 6.8 * s, false, black, ALIGN_CENTER };
    y += text_block(cr, r->uvci, x0, y, w, &mono, draw) + MM(2) * s;
    hc_time_format_date(r->iat_ms, a, sizeof a);
    hc_time_format_date(r->exp_ms, b, sizeof b);
    snprintf(buf, sizeof buf, "Issued %s, valid until %s", a, b);
    y += text_block(cr, buf, x0, y, w, &caption, draw);
    return y - y0;
}

static void
front_panel(cairo_t *cr, const hc_issue_result *r, const hc_qr_matrix *qr)
{
    double x0 = PANEL_INSET, w = PANEL_W - 2 * PANEL_INSET;
    char buf[320];

    /* Blue band with the stars and the title. */
    double band_h = MM(27);
    cairo_set_source_rgb(cr, eu_blue.r, eu_blue.g, eu_blue.b);
    cairo_rectangle(cr, x0, PANEL_INSET, w, band_h);
    cairo_fill(cr);
    eu_stars(cr, x0 + MM(12), PANEL_INSET + band_h / 2, MM(7.5));
    double tx = x0 + MM(23), tw = w - MM(25);
    text_style title = { SANS, 10.5, true, white, ALIGN_LEFT };
    text_style sub = { SANS, 8.5, false, white, ALIGN_LEFT };
    double ty = PANEL_INSET + MM(3);
    ty += text_block(cr, "EU DIGITAL COVID CERTIFICATE", tx, ty, tw, &title, true);
    ty += MM(1);
    ty += text_block(cr, type_title(r->type), tx, ty, tw, &sub, true);
    country_text(r->country, buf, sizeof buf);
    char issued[360];
    snprintf(issued, sizeof issued, "Issued in %s", buf);
    text_style small_white = { SANS, 7, false, white, ALIGN_LEFT };
    text_block(cr, issued, tx, ty + MM(0.5), tw, &small_white, true);

    /* The QR code, centred, with white all around (its quiet zone is the panel). */
    double module = QR_SIDE / qr->width;
    double qx = (PANEL_W - QR_SIDE) / 2, qy = PANEL_INSET + band_h + MM(7);
    cairo_set_source_rgb(cr, 0, 0, 0);
    hc_qr_matrix_draw(cr, qr, qx, qy, module);
    double y = qy + QR_SIDE + MM(3);

    /* The text below the code, shrunk until it fits the panel (names are up to 2 x 80 chars). */
    double room = PANEL_H - PANEL_INSET - y, scale = 1.0;
    while (scale > 0.45 && front_text(cr, r, x0, y, w, scale, false) > room) {
        scale -= 0.05;
    }
    front_text(cr, r, x0, y, w, scale, true);
}

static void
detail_panel(cairo_t *cr, const hc_issue_result *r)
{
    double x0 = PANEL_W + PANEL_INSET, w = PANEL_W - 2 * PANEL_INSET;
    fields fs;

    collect_fields(r, &fs);
    text_style head = { SANS, 11, true, eu_blue, ALIGN_LEFT };
    double y = PANEL_INSET + MM(1);
    y += text_block(cr, type_title(r->type), x0, y, w, &head, true) + MM(1.5);
    cairo_set_source_rgb(cr, eu_blue.r, eu_blue.g, eu_blue.b);
    cairo_rectangle(cr, x0, y, w, 0.8);
    cairo_fill(cr);
    y += MM(3);
    /* Shrink the text until every field fits the panel (fields are at most 80 characters). */
    double room = PANEL_H - PANEL_INSET - y, scale = 1.0;
    while (scale > 0.55 && field_list(cr, &fs, x0, y, w, scale, false) > room) {
        scale -= 0.05;
    }
    field_list(cr, &fs, x0, y, w, scale, true);
}

static void
guides(cairo_t *cr)
{
    /* Cut line under the card, fold line between the panels. */
    double dash[] = { MM(2), MM(1.5) };
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, 0.6);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, 0, PANEL_H);
    cairo_line_to(cr, PAGE_W, PANEL_H);
    cairo_stroke(cr);
    double dots[] = { 0.8, MM(1.5) };
    cairo_set_dash(cr, dots, 2, 0);
    cairo_move_to(cr, PANEL_W, MM(3));
    cairo_line_to(cr, PANEL_W, PANEL_H - MM(3));
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void
lower_half(cairo_t *cr, const hc_issue_result *r)
{
    double x0 = MM(18), w = PAGE_W - 2 * MM(18), y = PANEL_H + MM(12);
    char buf[400], a[32], b[32], kid[16] = "";
    size_t kid_len = 0;

    text_style head = { SANS, 10, true, eu_blue, ALIGN_LEFT };
    text_style body = { SANS, 8.5, false, black, ALIGN_LEFT };
    text_style mono = { MONO, 7.5, false, black, ALIGN_LEFT };
    y += text_block(cr, "Your certificate", x0, y, w, &head, true) + MM(2);
    y += text_block(cr,
                    "Cut along the dashed line and fold along the dotted line: the card shows "
                    "the QR code on one side and the certified data on the other. Verifiers scan "
                    "the QR code, which carries the same data with the issuer's digital "
                    "signature; the printed text is for reading only.",
                    x0, y, w, &body, true) +
         MM(5);
    y += text_block(cr, "Technical details", x0, y, w, &head, true) + MM(2);
    hc_time_format(r->iat_ms, false, a, sizeof a);
    hc_time_format(r->exp_ms, false, b, sizeof b);
    if (hc_base64_encode(r->kid, sizeof r->kid, false, kid, sizeof kid, &kid_len) != HC_OK) {
        kid[0] = '\0';
    }
    country_text(r->country, buf, sizeof buf);
    char line[520];
    snprintf(line, sizeof line, "Issuing country: %s", buf);
    y += text_block(cr, line, x0, y, w, &body, true) + MM(1);
    snprintf(line, sizeof line, "Signing key (kid): %s    Issued (iat): %s    Expires (exp): %s",
             kid, a, b);
    y += text_block(cr, line, x0, y, w, &mono, true) + MM(1);
    const char *ver = json_string_value(json_object_get(r->dcc, "ver"));
    snprintf(line, sizeof line,
             "Format: EU DCC schema %s, HCERT (CBOR Web Token, COSE_Sign1), %zu QR "
             "characters",
             ver ? ver : "?", strlen(r->qr));
    text_block(cr, line, x0, y, w, &body, true);
}

typedef struct membuf {
    uint8_t *data;
    size_t len, cap;
    bool nomem;
} membuf;

static cairo_status_t
write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *m = closure;
    if (length > m->cap - m->len) {
        size_t cap = m->cap ? m->cap : 64 * 1024;
        while (length > cap - m->len) {
            cap *= 2;
        }
        uint8_t *d = realloc(m->data, cap);
        if (d == NULL) {
            m->nomem = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, length);
    m->len += length;
    return CAIRO_STATUS_SUCCESS;
}

hc_err
hc_issue_pdf_bytes(const hc_issue_result *r, uint8_t **pdf, size_t *len)
{
    hc_qr_matrix qr;
    membuf m = { 0 };

    if (pdf == NULL || len == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    *pdf = NULL;
    *len = 0;
    if (r == NULL || r->qr == NULL || !json_is_object(r->dcc)) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = hc_qr_matrix_make(r->qr, &qr);
    if (err != HC_OK) {
        return err;
    }
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_cb, &m, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   "EU Digital COVID Certificate");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "healthcert");
    cairo_t *cr = cairo_create(surface);
    front_panel(cr, r, &qr);
    detail_panel(cr, r);
    guides(cr);
    lower_half(cr, r);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    hc_qr_matrix_free(&qr);
    if (st != CAIRO_STATUS_SUCCESS || m.nomem) {
        free(m.data);
        return m.nomem || st == CAIRO_STATUS_NO_MEMORY ? HC_ERR_NOMEM : HC_ERR_INTERNAL;
    }
    *pdf = m.data;
    *len = m.len;
    return HC_OK;
}

hc_err
hc_issue_pdf_write(const hc_issue_result *r, const char *path)
{
    uint8_t *pdf = NULL;
    size_t len = 0;
    if (path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = hc_issue_pdf_bytes(r, &pdf, &len);
    if (err == HC_OK) {
        err = hc_write_file(path, pdf, len, PDF_FILE_MODE);
    }
    free(pdf);
    return err;
}

void
hc_issue_pdf_shutdown(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
