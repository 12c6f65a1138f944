// A webhook receiver for the delivery tests, on loopback: it verifies every delivery with the
// Standard Webhooks reference library (npm "standardwebhooks", fetched by src/test/corpora/fetch.sh),
// answers as the test scripts it, and prints one JSON line per request to stdout.
//
//   STANDARDWEBHOOKS=<dir of the npm package> PORT=<port or 0> node webhook-receiver.js
//
// POST /__control {"secrets":["whsec_…"], "statuses":[500,500,500], "default_status":200,
//                  "hold_ms":0, "retry_after":"2", "now_ms":<the gateway clock's millis>}
// sets what it verifies with and what the next requests get ("statuses" are used up one per request,
// then "default_status"). "now_ms" lines the receiver's clock up with a test's manual clock, so the
// library's timestamp tolerance (5 minutes) is checked against the time the gateway signed at.
'use strict';
const http = require('http');
const { Webhook } = require(process.env.STANDARDWEBHOOKS);

const realNow = Date.now;
let offset = 0;
Date.now = () => realNow() + offset;

let secrets = [];
let statuses = [];
let defaultStatus = 200;
let holdMs = 0;
let retryAfter = null;
let count = 0;
const open = new Set();

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/__control') {
      const c = JSON.parse(body);
      if (c.secrets !== undefined) secrets = c.secrets;
      if (c.statuses !== undefined) statuses = c.statuses.slice();
      if (c.default_status !== undefined) defaultStatus = c.default_status;
      if (c.hold_ms !== undefined) holdMs = c.hold_ms;
      if (c.retry_after !== undefined) retryAfter = c.retry_after;
      if (c.now_ms !== undefined) offset = c.now_ms - realNow();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    const n = count++;
    let verified = false;
    let error = secrets.length === 0 ? 'no secret configured' : null;
    for (const s of secrets) {
      try {
        new Webhook(s).verify(body, req.headers);
        verified = true;
        error = null;
        break;
      } catch (e) {
        error = e.message;
      }
    }
    let status = statuses.length > 0 ? statuses.shift() : defaultStatus;
    if (secrets.length > 0 && !verified) status = 401;
    const sig = req.headers['webhook-signature'] || '';
    const line = {
      n, method: req.method, path: req.url, id: req.headers['webhook-id'] || null, timestamp: req.headers['webhook-timestamp'] || null,
      signatures: sig === '' ? 0 : sig.split(' ').length, verified, error, status, body,
      authorization: req.headers['authorization'] ? 'present' : null,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
    const answer = () => {
      const headers = { 'Content-Type': 'application/json' };
      if (retryAfter !== null && (status === 429 || status === 503)) headers['Retry-After'] = retryAfter;
      res.writeHead(status, headers);
      res.end(JSON.stringify({ received: n, status }));
    };
    if (holdMs > 0) setTimeout(answer, holdMs); else answer();
  });
});
server.on('connection', (s) => { open.add(s); s.on('close', () => open.delete(s)); });
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ listening: server.address().port }) + '\n');
});
process.on('SIGTERM', () => { for (const s of open) s.destroy(); server.close(() => process.exit(0)); });
