/*
 * checkpoint.js: the checkpoint verifier page (index.html).
 *
 * Input: the camera (the browser's BarcodeDetector where it reads QR codes; elsewhere frames are
 * sent to POST /v1/verify as JPEG images and decoded by the service), an uploaded image, or the
 * pasted text. Output: the verdict of POST /v1/verify?view=minimal, which carries only the verdict,
 * its reasons, name, date of birth and type (shared/reference/security.md §4). Nothing is stored:
 * no cookies, no local storage, and the verdict clears itself after two minutes.
 */
'use strict';

(function () {
    const $ = (id) => document.getElementById(id);
    const TYPES = { v: 'Vaccination', t: 'Test', r: 'Recovery' };
    const CLEAR_AFTER_MS = 120000;
    const FRAME_INTERVAL_MS = 700;
    const MAX_FRAME_WIDTH = 1280;

    let clearTimer = null;
    let stream = null;
    let detector = null;
    let scanning = false;
    const canvas = document.createElement('canvas');

    function status(text) {
        $('camera-status').textContent = text;
    }

    function clearVerdict() {
        const box = $('verdict');
        box.hidden = true;
        box.className = '';
        for (const id of ['headline', 'v-name', 'v-dob', 'v-type']) {
            $(id).textContent = '';
        }
        $('reasons').replaceChildren();
        if (clearTimer !== null) {
            clearTimeout(clearTimer);
            clearTimer = null;
        }
    }

    /* Shows a verdict: every value goes in as text, never as HTML. */
    function show(v) {
        clearVerdict();
        const box = $('verdict');
        const subject = v.subject || {};
        box.className = v.valid ? 'valid' : 'invalid';
        $('headline').textContent = v.valid ? 'VALID' : 'NOT VALID';
        $('v-name').textContent = subject.name || '–';
        $('v-dob').textContent = subject.dob || '–';
        $('v-type').textContent = TYPES[v.type] || (v.format ? v.format : 'unknown');
        if (!v.valid) {
            for (const e of v.errors || []) {
                const li = document.createElement('li');
                const code = document.createElement('code');
                code.textContent = e.code;
                li.append(code, ' ', e.message || '');
                $('reasons').append(li);
            }
        }
        box.hidden = false;
        box.scrollIntoView({ block: 'start' });
        clearTimer = setTimeout(clearVerdict, CLEAR_AFTER_MS);
    }

    function problem(code, message) {
        return { valid: false, errors: [{ code: code, message: message }] };
    }

    /* POST /v1/verify; resolves to a verdict (problems become invalid verdicts too). */
    async function verify(body) {
        let r;
        try {
            r = await fetch('/v1/verify?view=minimal', {
                method: 'POST',
                body: body,
                headers: {
                    'Content-Type': body instanceof Blob ? body.type || 'application/octet-stream'
                                                         : 'text/plain; charset=utf-8',
                },
                cache: 'no-store',
                credentials: 'omit',
            });
        } catch (e) {
            return problem('UNAVAILABLE', 'the service cannot be reached');
        }
        if (r.status === 413) {
            return problem('INPUT_TOO_LARGE', 'the input is too large');
        }
        if (!r.ok) {
            return problem('UNAVAILABLE', 'the service answered ' + r.status);
        }
        return r.json();
    }

    function stopCamera() {
        scanning = false;
        if (stream !== null) {
            for (const t of stream.getTracks()) {
                t.stop();
            }
            stream = null;
        }
        $('video').srcObject = null;
        $('camera').hidden = true;
        $('camera-start').hidden = false;
        $('camera-stop').hidden = true;
    }

    /* One video frame as a JPEG, at most MAX_FRAME_WIDTH wide. */
    function frame(video) {
        const w = video.videoWidth;
        const h = video.videoHeight;
        if (!w || !h) {
            return Promise.resolve(null);
        }
        const scale = Math.min(1, MAX_FRAME_WIDTH / w);
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
        return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    }

    async function scanOnce(video) {
        if (detector !== null) {
            const codes = await detector.detect(video);
            if (codes.length > 0) {
                return verify(codes[0].rawValue);
            }
            return null;
        }
        const blob = await frame(video);
        if (blob === null) {
            return null;
        }
        const v = await verify(blob);
        /* No code in this frame: keep looking. Anything else is a verdict to show. */
        const first = (v.errors || [])[0];
        return first && first.code === 'IMAGE_UNREADABLE' ? null : v;
    }

    async function scanLoop() {
        const video = $('video');
        while (scanning) {
            let v = null;
            try {
                v = await scanOnce(video);
            } catch (e) {
                status('Scanning failed: ' + e.message);
            }
            if (!scanning) {
                return;
            }
            if (v !== null) {
                stopCamera();
                status('');
                show(v);
                return;
            }
            await new Promise((r) => setTimeout(r, detector !== null ? 200 : FRAME_INTERVAL_MS));
        }
    }

    async function startCamera() {
        clearVerdict();
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
            status('This browser gives the page no camera (it needs https or localhost).');
            return;
        }
        try {
            stream = await navigator.mediaDevices.getUserMedia({
                video: { facingMode: 'environment', width: { ideal: 1280 } },
                audio: false,
            });
        } catch (e) {
            status('No camera: ' + e.message);
            return;
        }
        const video = $('video');
        video.srcObject = stream;
        $('camera').hidden = false;
        $('camera-start').hidden = true;
        $('camera-stop').hidden = false;
        await video.play();
        detector = null;
        if ('BarcodeDetector' in window) {
            try {
                const formats = await window.BarcodeDetector.getSupportedFormats();
                if (formats.includes('qr_code')) {
                    detector = new window.BarcodeDetector({ formats: ['qr_code'] });
                }
            } catch (e) {
                detector = null;
            }
        }
        status(detector !== null ? 'Looking for a QR code…'
                                 : 'Looking for a QR code (the service reads the frames)…');
        scanning = true;
        scanLoop();
    }

    $('camera-start').addEventListener('click', startCamera);
    $('camera-stop').addEventListener('click', () => {
        stopCamera();
        status('');
    });
    $('clear').addEventListener('click', clearVerdict);
    $('file').addEventListener('change', async (ev) => {
        const f = ev.target.files[0];
        if (f) {
            show(await verify(f));
        }
        ev.target.value = '';
    });
    $('check-text').addEventListener('click', async () => {
        const text = $('text').value.trim();
        if (text) {
            show(await verify(text));
            $('text').value = '';
        }
    });
})();
