/**
 * The HTTP side of the remote cache, run as its own short Node process (`node remote-exchange.js
 * [request-file]`): `require()` cannot await a request, so the blocking driver runs this script
 * with `spawnSync` and the non-blocking one with `spawn` (one `spawn` effect, src/effects.ts),
 * and a background upload runs it detached. It reads one JSON request (from the file, which it
 * deletes at once because it holds the credentials, or from stdin), talks to the server with
 * `fetch`, and writes one JSON reply line on stdout. It imports nothing of zigimport: whatever
 * it would load, every miss would pay for.
 *
 * It never prints the credentials: they arrive as a finished `Authorization` value and are only
 * ever put in a request header; replies name paths relative to the base, never the URL.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

export type ExchangeRequest =
  | { op: 'get'; base: string; authorization?: string; budgetMs: number; key: string; blobFile: string; maxBytes: number }
  | { op: 'put'; base: string; authorization?: string; budgetMs: number; key: string; record: { artifact: { sha256: string } }; artifactFile: string }
  | { op: 'ping'; base: string; authorization?: string; budgetMs: number };

export type ExchangeReply =
  | { outcome: 'hit'; record: unknown; bytes: number }
  | { outcome: 'miss'; why: string }
  | { outcome: 'uploaded'; bytes: number }
  | { outcome: 'answers'; status: number }
  | { outcome: 'failed'; why: string };

/** HTTP statuses that mean "not there" rather than "the server failed". */
const NOT_FOUND = 404;

function readRequest(): ExchangeRequest {
  const file = process.argv[2];
  if (!file) return JSON.parse(fs.readFileSync(0, 'utf8')) as ExchangeRequest;
  const text = fs.readFileSync(file, 'utf8');
  fs.rmSync(file, { force: true });
  return JSON.parse(text) as ExchangeRequest;
}

function headers(req: ExchangeRequest, extra: Record<string, string> = {}): Record<string, string> {
  return req.authorization ? { authorization: req.authorization, ...extra } : extra;
}

async function call(req: ExchangeRequest, deadline: number, method: string, where: string, body?: Buffer, type?: string): Promise<Response> {
  const remaining = Math.max(1, deadline - Date.now());
  const init: RequestInit = { method, headers: headers(req, type ? { 'content-type': type } : {}), signal: AbortSignal.timeout(remaining) };
  if (body) init.body = new Uint8Array(body);
  return fetch(`${req.base}/${where}`, init);
}

function failedStatus(where: string, res: Response): ExchangeReply {
  const hint = res.status === 401 || res.status === 403 ? ' (credentials missing or refused)' : '';
  return { outcome: 'failed', why: `${where}: HTTP ${res.status}${hint}` };
}

async function get(req: Extract<ExchangeRequest, { op: 'get' }>, deadline: number): Promise<ExchangeReply> {
  const ac = await call(req, deadline, 'GET', `ac/${req.key}`);
  if (ac.status === NOT_FOUND) return { outcome: 'miss', why: 'no record for this key' };
  if (!ac.ok) return failedStatus(`ac/${req.key}`, ac);
  const record = (await ac.json()) as { artifact?: { sha256?: unknown; size?: unknown } };
  const sha = record.artifact?.sha256;
  if (typeof sha !== 'string' || !/^[0-9a-f]{64}$/.test(sha)) return { outcome: 'miss', why: 'record names no artifact SHA-256' };
  if (typeof record.artifact?.size !== 'number' || record.artifact.size > req.maxBytes)
    return { outcome: 'miss', why: 'record gives no size or a size past the limit' };
  const cas = await call(req, deadline, 'GET', `cas/${sha}`);
  if (cas.status === NOT_FOUND) return { outcome: 'miss', why: `record found but its artifact cas/${sha} is missing` };
  if (!cas.ok) return failedStatus(`cas/${sha}`, cas);
  const bytes = Buffer.from(await cas.arrayBuffer());
  if (bytes.length > req.maxBytes) return { outcome: 'miss', why: 'artifact larger than the limit' };
  fs.writeFileSync(req.blobFile, bytes, { mode: 0o600 });
  return { outcome: 'hit', record, bytes: bytes.length };
}

async function put(req: Extract<ExchangeRequest, { op: 'put' }>, deadline: number): Promise<ExchangeReply> {
  const bytes = fs.readFileSync(req.artifactFile);
  // The store's file may have been evicted or replaced since: upload only the bytes the record names.
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha !== req.record.artifact.sha256) return { outcome: 'failed', why: 'the local artifact changed before its upload' };
  const cas = await call(req, deadline, 'PUT', `cas/${sha}`, bytes, 'application/octet-stream');
  if (!cas.ok) return failedStatus(`cas/${sha}`, cas);
  // The record last: a reader that finds it finds its artifact.
  const ac = await call(req, deadline, 'PUT', `ac/${req.key}`, Buffer.from(JSON.stringify(req.record)), 'application/json');
  if (!ac.ok) return failedStatus(`ac/${req.key}`, ac);
  return { outcome: 'uploaded', bytes: bytes.length };
}

async function ping(req: ExchangeRequest, deadline: number): Promise<ExchangeReply> {
  const res = await call(req, deadline, 'HEAD', `ac/${'0'.repeat(64)}`);
  if (res.status === 401 || res.status === 403 || res.status >= 500) return failedStatus('HEAD ac/', res);
  return { outcome: 'answers', status: res.status };
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer in time';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

async function main(): Promise<void> {
  let reply: ExchangeReply;
  try {
    const req = readRequest();
    const deadline = Date.now() + req.budgetMs;
    reply = req.op === 'get' ? await get(req, deadline) : req.op === 'put' ? await put(req, deadline) : await ping(req, deadline);
  } catch (err) {
    reply = { outcome: 'failed', why: describe(err) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

void main();
