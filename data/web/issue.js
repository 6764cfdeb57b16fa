/*
 * issue.js: the issuing page (issue.html).
 *
 * Builds an EU DCC (eu-dcc-schema 1.3.0) from the form, or takes a complete DCC JSON, and sends it
 * to POST /v1/certificates with the bearer token typed into the page. The token lives in the
 * input field and this script's memory only: no cookie, no storage. Shows the QR code the service
 * returns, offers it as a PNG, the printable certificate as a PDF, a print view, and revokes.
 */
'use strict';

(function () {
    const $ = (id) => document.getElementById(id);
    /* Marketing authorisation holders of the vaccines offered (EU value set
     * vaccines-covid-19-auth-holders), and their vaccine prophylaxis codes
     * (sct-vaccines-covid-19: 1119349007 mRNA, J07BX03 other, 1119305005 antigen). */
    const VACCINES = {
        'EU/1/20/1528': { ma: 'ORG-100030215', vp: '1119349007' },
        'EU/1/20/1507': { ma: 'ORG-100031184', vp: '1119349007' },
        'EU/1/21/1529': { ma: 'ORG-100001699', vp: 'J07BX03' },
        'EU/1/20/1525': { ma: 'ORG-100001417', vp: 'J07BX03' },
        'EU/1/21/1618': { ma: 'ORG-100032020', vp: '1119305005' },
    };
    const COVID19 = '840539006'; /* disease targeted: COVID-19 (SNOMED CT) */
    let lastUvci = null;

    /*
     * Machine-readable form of a name (ICAO 9303 part 3 §6 as the DCC schema's fnt/gnt expect:
     * A-Z and '<'): common transliterations first, then accents dropped.
     */
    function transliterate(name) {
        const map = { Ä: 'AE', Ö: 'OE', Ü: 'UE', ß: 'SS', Æ: 'AE', Ø: 'OE', Å: 'AA', Œ: 'OE',
                      Þ: 'TH', Ð: 'D', Ł: 'L' };
        let s = name.trim().toUpperCase().replace(/[ÄÖÜßÆØÅŒÞÐŁ]/g, (c) => map[c]);
        s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        return s.replace(/[^A-Z]+/g, '<').replace(/^<+|<+$/g, '').slice(0, 80);
    }

    function value(id) {
        return $(id).value.trim();
    }

    function buildDcc() {
        const fn = value('fn');
        const gn = value('gn');
        const nam = { fn: fn, fnt: transliterate(fn) };
        if (gn) {
            nam.gn = gn;
            nam.gnt = transliterate(gn);
        }
        const common = { tg: COVID19, co: value('co').toUpperCase(), is: value('is') };
        const dcc = { ver: '1.3.0', nam: nam, dob: value('dob') };
        const kind = $('kind').value;
        if (kind === 'v') {
            const mp = $('mp').value;
            dcc.v = [Object.assign({}, common, {
                vp: VACCINES[mp].vp, mp: mp, ma: VACCINES[mp].ma,
                dn: parseInt(value('dn'), 10), sd: parseInt(value('sd'), 10), dt: value('dt'),
            })];
        } else if (kind === 't') {
            const sc = value('sc');
            dcc.t = [Object.assign({}, common, {
                tt: $('tt').value, sc: sc ? new Date(sc).toISOString().replace(/\.\d+Z$/, 'Z') : '',
                tr: $('tr').value, tc: value('tc'),
            })];
        } else {
            dcc.r = [Object.assign({}, common, { fr: value('fr'), df: value('df'), du: value('du') })];
        }
        return dcc;
    }

    function showErrors(list) {
        const box = $('issue-errors');
        box.replaceChildren();
        if (!list || list.length === 0) {
            box.hidden = true;
            return;
        }
        const ul = document.createElement('ul');
        for (const e of list) {
            const li = document.createElement('li');
            li.textContent = (e.code ? e.code + ': ' : '') + (e.message || '');
            ul.append(li);
        }
        box.append('The certificate was not issued.', ul);
        box.hidden = false;
    }

    function authHeaders() {
        const token = $('token').value.trim();
        return token ? { Authorization: 'Bearer ' + token } : {};
    }

    async function call(method, path, body) {
        const headers = authHeaders();
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
        }
        let r;
        try {
            r = await fetch(path, { method: method, headers: headers, body: body, cache: 'no-store',
                                    credentials: 'omit' });
        } catch (e) {
            return { status: 0, json: { errors: [{ code: 'UNAVAILABLE',
                                                   message: 'the service cannot be reached' }] } };
        }
        let json = null;
        try {
            json = await r.json();
        } catch (e) {
            json = { errors: [{ code: 'HTTP_' + r.status, message: r.statusText }] };
        }
        if (r.status === 401 && json && json.errors) {
            json.errors[0].message = 'the API token was not accepted';
        }
        return { status: r.status, json: json };
    }

    function showResult(c, holder) {
        const src = 'data:image/png;base64,' + c.qr_png;
        $('qr').src = src;
        $('download').href = src;
        $('download').download = c.uvci.replace(/[^A-Za-z0-9]+/g, '-') + '.png';
        $('r-uvci').textContent = c.uvci;
        $('r-holder').textContent = holder;
        $('r-exp').textContent = c.expires_at;
        lastUvci = c.uvci;
        $('result').hidden = false;
        $('result').scrollIntoView({ block: 'start' });
    }

    async function revoke(uvci) {
        if (!uvci) {
            return;
        }
        $('revoke-status').textContent = 'Revoking…';
        const r = await call('POST', '/v1/certificates/' + encodeURIComponent(uvci) + '/revoke');
        if (r.status === 200) {
            $('revoke-status').textContent = 'Revoked: ' + uvci + ' (verifiers now report REVOKED)';
        } else {
            const e = (r.json && r.json.errors && r.json.errors[0]) || {};
            $('revoke-status').textContent = 'Not revoked: ' + (e.message || r.status);
        }
    }

    $('kind').addEventListener('change', () => {
        for (const k of ['v', 't', 'r']) {
            $('fields-' + k).hidden = $('kind').value !== k;
        }
    });
    $('issue-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        showErrors(null);
        $('result').hidden = true;
        let body;
        const raw = value('json');
        if (raw) {
            try {
                JSON.parse(raw);
            } catch (e) {
                showErrors([{ code: 'JSON_INVALID', message: e.message }]);
                return;
            }
            body = raw;
        } else {
            body = JSON.stringify(buildDcc());
        }
        $('issue').disabled = true;
        const r = await call('POST', '/v1/certificates', body);
        $('issue').disabled = false;
        if (r.status === 201) {
            const holder = raw ? '' : [value('gn'), value('fn')].filter(Boolean).join(' ');
            showResult(r.json, holder);
        } else {
            showErrors(r.json && r.json.errors);
        }
    });
    /* The printable certificate (GET /v1/certificates/{uvci}/pdf needs the token, so it is
     * fetched here and handed to the browser as a download). */
    $('pdf').addEventListener('click', async () => {
        if (!lastUvci) {
            return;
        }
        const r = await fetch('/v1/certificates/' + encodeURIComponent(lastUvci) + '/pdf',
                              { headers: authHeaders(), cache: 'no-store', credentials: 'omit' });
        if (!r.ok) {
            showErrors([{ code: 'HTTP_' + r.status, message: 'the PDF could not be fetched' }]);
            return;
        }
        const url = URL.createObjectURL(await r.blob());
        const a = document.createElement('a');
        a.href = url;
        a.download = lastUvci.replace(/[^A-Za-z0-9]+/g, '-') + '.pdf';
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
    });
    $('print').addEventListener('click', () => window.print());
    $('revoke-this').addEventListener('click', () => revoke(lastUvci));
    $('revoke').addEventListener('click', () => revoke(value('revoke-uvci')));
})();
