// pages.test.mjs: the service's web pages (data/web) end to end in headless Chromium.
//
// Started by tests/cli/test_serve_browser.sh (which installs playwright-core and sets HC_BIN,
// HC_BROWSER_DEPS, HC_CHROMIUM, HC_SCREENSHOTS). A `healthcert serve --demo` runs on 127.0.0.1
// with a free port. As a person would:
//   issuing page:    type the token, fill the form, issue, see the QR; a wrong token is refused;
//                    revoke the issued certificate from the page
//   checkpoint page: paste the QR text, upload the QR image, scan it with the "camera" (a canvas
//                    stream showing the QR, standing in for a webcam: frames go to /v1/verify as
//                    JPEG images since headless Chromium has no BarcodeDetector), see the large
//                    green VALID with only name, date of birth and type; then the red NOT VALID
//                    with REVOKED for the revoked one
// and the pages keep nothing: no cookies, no storage, no console errors (the CSP holds).
// Screenshots of each state are written to HC_SCREENSHOTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(path.join(process.env.HC_BROWSER_DEPS, 'package.json'));
const { chromium } = require('playwright-core');

const shots = process.env.HC_SCREENSHOTS;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-browser-'));
let server;
let base;
let token;
let browser;
let consoleErrors = [];

const PERSON = { fn: 'Müller', gn: 'Zoë', dob: '1980-02-29' };

// Under the sanitizer build: fontconfig's process-lifetime caches are not leaks of ours.
function lsanOptions() {
    const supp = path.join(process.env.HC_SOURCE_DIR, 'tests', 'cli', 'serve_lsan.supp');
    return [process.env.LSAN_OPTIONS, 'suppressions=' + supp].filter(Boolean).join(':');
}

async function waitForPort(file, proc) {
    for (let i = 0; i < 200; i++) {
        if (fs.existsSync(file)) {
            const text = fs.readFileSync(file, 'utf8').trim();
            if (text) {
                return Number(text);
            }
        }
        if (proc.exitCode !== null) {
            throw new Error('serve exited: ' + fs.readFileSync(path.join(tmp, 'serve.err'), 'utf8'));
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('serve did not start');
}

async function issueByApi(fn) {
    const dcc = {
        ver: '1.3.0',
        nam: { fn, gn: PERSON.gn, fnt: 'MUELLER', gnt: 'ZOE' },
        dob: PERSON.dob,
        v: [{ tg: '840539006', vp: '1119349007', mp: 'EU/1/20/1528', ma: 'ORG-100030215', dn: 2,
              sd: 2, dt: '2026-05-01', co: 'XX', is: 'Ministry of Health XX' }],
    };
    const r = await fetch(base + '/v1/certificates', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
        body: JSON.stringify(dcc),
    });
    assert.equal(r.status, 201);
    return r.json();
}

async function newPage(opts = {}) {
    const context = await browser.newContext({ viewport: { width: 820, height: 1000 } });
    if (opts.camera) {
        // The "camera": a canvas stream that shows the QR image, as a webcam held over a phone.
        await context.addInitScript((dataUrl) => {
            navigator.mediaDevices.getUserMedia = async () => {
                const c = document.createElement('canvas');
                c.width = 640;
                c.height = 480;
                const ctx = c.getContext('2d');
                const img = new Image();
                img.src = dataUrl;
                await img.decode();
                // For the first two seconds the "camera" sees no code (frames without one must
                // keep the scan going), then the code is held up to it.
                const t0 = Date.now();
                const draw = () => {
                    ctx.fillStyle = '#e8e8e8';
                    ctx.fillRect(0, 0, c.width, c.height);
                    ctx.imageSmoothingEnabled = false;
                    if (Date.now() - t0 > 2000) {
                        ctx.drawImage(img, 150, 70, 340, 340);
                    }
                };
                draw();
                setInterval(draw, 100);
                return c.captureStream(10);
            };
        }, opts.camera);
    }
    const page = await context.newPage();
    page.on('console', (m) => {
        if (m.type() === 'error') {
            consoleErrors.push(m.text());
        }
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    return { context, page };
}

async function verdictOf(page) {
    await page.locator('#verdict:not([hidden])').waitFor({ timeout: 20000 });
    return {
        cls: await page.locator('#verdict').getAttribute('class'),
        headline: await page.locator('#headline').textContent(),
        name: await page.locator('#v-name').textContent(),
        dob: await page.locator('#v-dob').textContent(),
        type: await page.locator('#v-type').textContent(),
        reasons: await page.locator('#reasons').textContent(),
        text: await page.locator('body').innerText(),
    };
}

async function noTraces(context, page) {
    assert.deepEqual(await context.cookies(), [], 'no cookies');
    const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
    assert.equal(stored, 0, 'nothing in web storage');
}

before(async () => {
    const portFile = path.join(tmp, 'port');
    server = spawn(process.env.HC_BIN, ['serve', '--demo', path.join(tmp, 'demo'), '--listen',
                                        '127.0.0.1:0', '--port-file', portFile, '--access-log',
                                        path.join(tmp, 'access.log')],
                   { stdio: ['ignore', 'ignore', fs.openSync(path.join(tmp, 'serve.err'), 'w')],
                     env: { ...process.env, LSAN_OPTIONS: lsanOptions() } });
    const port = await waitForPort(portFile, server);
    base = `http://127.0.0.1:${port}`;
    token = fs.readFileSync(path.join(tmp, 'demo', 'api-token'), 'utf8').trim();
    browser = await chromium.launch({
        executablePath: process.env.HC_CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync',
               '--disable-dev-shm-usage'],
    });
});

after(async () => {
    if (browser) {
        await browser.close();
    }
    if (server && server.exitCode === null) {
        const done = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await done;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
});

let issued; // { uvci, pngDataUrl } from the issuing page

test('issuing page: a wrong token is refused', async () => {
    const { context, page } = await newPage();
    await page.goto(base + '/issue');
    await page.fill('#token', 'not-the-token-0123456789');
    await page.fill('#fn', PERSON.fn);
    await page.fill('#dob', PERSON.dob);
    await page.fill('#dt', '2026-05-01');
    await page.click('#issue');
    const box = page.locator('#issue-errors');
    await box.waitFor({ state: 'visible' });
    assert.match(await box.textContent(), /not accepted/);
    assert.equal(await page.locator('#result').isHidden(), true);
    await page.screenshot({ path: path.join(shots, 'issue-refused.png'), fullPage: true });
    await context.close();
});

test('issuing page: issue a vaccination certificate and see its QR code', async () => {
    const { context, page } = await newPage();
    await page.goto(base + '/issue');
    await page.fill('#token', token);
    await page.fill('#fn', PERSON.fn);
    await page.fill('#gn', PERSON.gn);
    await page.fill('#dob', PERSON.dob);
    await page.selectOption('#mp', 'EU/1/20/1507');
    await page.fill('#dt', '2026-05-01');
    await page.fill('#dn', '2');
    await page.fill('#sd', '2');
    await page.click('#issue');
    await page.locator('#result:not([hidden])').waitFor({ timeout: 15000 });
    const uvci = await page.locator('#r-uvci').textContent();
    assert.match(uvci, /^URN:UVCI:01:XX:/);
    assert.equal(await page.locator('#r-holder').textContent(), 'Zoë Müller');
    const src = await page.locator('#qr').getAttribute('src');
    assert.match(src, /^data:image\/png;base64,/);
    const natural = await page.locator('#qr').evaluate((img) => img.naturalWidth);
    assert.ok(natural > 100, 'the QR image loaded');
    assert.equal(await page.locator('#download').getAttribute('href'), src);
    // The printable certificate, downloaded with the token the page holds.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pdf')]);
    const pdfPath = path.join(shots, 'issued-certificate.pdf');
    await download.saveAs(pdfPath);
    assert.equal(fs.readFileSync(pdfPath).subarray(0, 5).toString(), '%PDF-');
    issued = { uvci, pngDataUrl: src };
    await noTraces(context, page);
    await page.screenshot({ path: path.join(shots, 'issue-result.png'), fullPage: true });
    await context.close();
});

test('issuing page: a test certificate from the form', async () => {
    const { context, page } = await newPage();
    await page.goto(base + '/issue');
    await page.fill('#token', token);
    await page.fill('#fn', 'Ødegård');
    await page.fill('#gn', 'Åse');
    await page.fill('#dob', '1975-12-31');
    await page.selectOption('#kind', 't');
    assert.equal(await page.locator('#fields-t').isVisible(), true);
    assert.equal(await page.locator('#fields-v').isHidden(), true);
    await page.selectOption('#tt', 'LP217198-3');
    await page.fill('#sc', '2026-05-01T09:30');
    await page.click('#issue');
    await page.locator('#result:not([hidden])').waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#r-holder').textContent(), 'Åse Ødegård');
    await context.close();
});

test('checkpoint page: pasted text gives a green VALID with name, date of birth and type only',
     async () => {
    const cert = await issueByApi(PERSON.fn);
    const { context, page } = await newPage();
    await page.goto(base + '/');
    await page.fill('#text', cert.qr);
    await page.click('#check-text');
    const v = await verdictOf(page);
    assert.equal(v.cls, 'valid');
    assert.equal(v.headline, 'VALID');
    assert.equal(v.name, 'Zoë Müller');
    assert.equal(v.dob, PERSON.dob);
    assert.equal(v.type, 'Vaccination');
    // Only what a checkpoint needs: no identifier, issuer, dates of vaccination or raw code.
    for (const hidden of [cert.uvci, 'Ministry of Health', '2026-05-01', cert.qr.slice(0, 24),
                          'EU/1/20/1528']) {
        assert.ok(!v.text.includes(hidden), `page shows ${hidden}`);
    }
    assert.equal(await page.inputValue('#text'), '', 'the pasted text is cleared');
    await noTraces(context, page);
    await page.screenshot({ path: path.join(shots, 'checkpoint-valid.png'), fullPage: true });
    await context.close();
});

test('checkpoint page: an uploaded image of the QR code is verified', async () => {
    const png = Buffer.from(issued.pngDataUrl.split(',')[1], 'base64');
    const file = path.join(tmp, 'qr.png');
    fs.writeFileSync(file, png);
    const { context, page } = await newPage();
    await page.goto(base + '/');
    await page.setInputFiles('#file', file);
    const v = await verdictOf(page);
    assert.equal(v.headline, 'VALID');
    assert.equal(v.name, 'Zoë Müller');
    await context.close();
});

test('checkpoint page: scanning with the camera (frames posted to /v1/verify)', async () => {
    const { context, page } = await newPage({ camera: issued.pngDataUrl });
    await page.goto(base + '/');
    await page.click('#camera-start');
    await page.locator('#camera:not([hidden])').waitFor();
    await page.waitForFunction(() => document.getElementById('video').readyState >= 2);
    await page.locator('#camera-status', { hasText: 'Looking for a QR code' }).waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.locator('#verdict').isHidden(), true, 'no verdict without a code');
    await page.screenshot({ path: path.join(shots, 'checkpoint-camera.png'), fullPage: true });
    const v = await verdictOf(page);
    assert.equal(v.headline, 'VALID');
    assert.equal(v.type, 'Vaccination');
    assert.equal(await page.locator('#camera').isHidden(), true, 'the camera stops on a verdict');
    await context.close();
});

test('revoked from the issuing page, the checkpoint shows a red NOT VALID: REVOKED', async () => {
    const { context, page } = await newPage();
    await page.goto(base + '/issue');
    await page.fill('#token', token);
    await page.fill('#revoke-uvci', issued.uvci);
    await page.click('#revoke');
    await page.locator('#revoke-status', { hasText: 'Revoked' }).waitFor();
    await context.close();

    const png = Buffer.from(issued.pngDataUrl.split(',')[1], 'base64');
    const file = path.join(tmp, 'revoked.png');
    fs.writeFileSync(file, png);
    const check = await newPage();
    await check.page.goto(base + '/');
    await check.page.setInputFiles('#file', file);
    const v = await verdictOf(check.page);
    assert.equal(v.cls, 'invalid');
    assert.equal(v.headline, 'NOT VALID');
    assert.match(v.reasons, /REVOKED/);
    assert.equal(v.name, 'Zoë Müller');
    await check.page.screenshot({ path: path.join(shots, 'checkpoint-revoked.png'),
                                  fullPage: true });
    // The Clear button wipes the verdict from the screen.
    await check.page.click('#clear');
    assert.equal(await check.page.locator('#verdict').isHidden(), true);
    assert.equal(await check.page.locator('#v-name').textContent(), '');
    await check.context.close();
});

test('checkpoint page: something that is no certificate is NOT VALID with a reason', async () => {
    const { context, page } = await newPage();
    await page.goto(base + '/');
    await page.fill('#text', 'HC1:this is not a certificate');
    await page.click('#check-text');
    const v = await verdictOf(page);
    assert.equal(v.headline, 'NOT VALID');
    assert.match(v.reasons, /ENCODING_INVALID/);
    await page.screenshot({ path: path.join(shots, 'checkpoint-invalid.png'), fullPage: true });
    await context.close();
});

test('no console errors and no Content-Security-Policy violations', () => {
    assert.deepEqual(consoleErrors.filter((e) => !e.includes('401')), []);
});
