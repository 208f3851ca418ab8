// The e2e harness's HTTP client. It runs inside the scenario's network namespace
// (`ip netns exec <ns> node agent.mjs`) and answers one JSON line per request line:
//   in:  {"id":1,"url":"http://127.0.0.1:8000/app/","cookie":"JSESSIONID=...","timeoutMs":8000}
//   out: {"id":1,"status":200,"setCookie":["JSESSIONID=...; Path=/app"],"body":"...","ms":12}
//        {"id":1,"error":"timeout","ms":8000}
// It only ever talks to 127.0.0.1 and exits when its stdin closes.
import http from 'node:http';
import readline from 'node:readline';

const agent = new http.Agent({ keepAlive: false });

function fetchOnce(req) {
  return new Promise((resolve) => {
    const started = Date.now();
    const url = new URL(req.url);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      resolve({ id: req.id, error: `refused: ${url.hostname} is not loopback`, ms: 0 });
      return;
    }
    let settled = false;
    const done = (r) => {
      if (settled) return;
      settled = true;
      resolve({ id: req.id, ms: Date.now() - started, ...r });
    };
    const headers = {};
    if (req.cookie) headers.Cookie = req.cookie;
    const r = http.request(url, { method: 'GET', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          setCookie: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8').slice(0, 20_000),
        }),
      );
      res.on('error', (e) => done({ error: String(e.message) }));
    });
    r.setTimeout(req.timeoutMs ?? 8000, () => {
      r.destroy();
      done({ error: 'timeout' });
    });
    r.on('error', (e) => done({ error: e.code ?? String(e.message) }));
    r.end();
  });
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return;
  }
  const res = await fetchOnce(req);
  process.stdout.write(JSON.stringify(res) + '\n');
});
rl.on('close', () => process.exit(0));
