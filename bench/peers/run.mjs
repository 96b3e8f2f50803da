// See run.sh. Reads only dev splits (and the edge cases); refuses test files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const bin = arg('--bin');
const pack = arg('--pack', 'llmat');
const limit = Number(arg('--limit', '0'));
// davidson and olid: only the fifth of the rows that Gatehouse's text
// classifier never trained on (docs/decisions/0011), so every tool is measured
// on the same unseen rows. `--split all` uses every dev row.
const split = arg('--split', 'val');
const evalDir = process.env.GATEHOUSE_EVAL_DIR;
const scratch = process.env.GATEHOUSE_PEERS_DIR || join(process.cwd(), 'build', 'peers');
const require = createRequire(join(scratch, 'package.json'));

// RFC 4180 CSV with a header row -> objects.
function readCsv(path) {
  if (basename(path).startsWith('test')) throw new Error(`${path}: test splits are never read here`);
  const text = readFileSync(path, 'utf8');
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  const [head, ...body] = rows;
  return body.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

// classify::IsValidationText (src/classify/trainer.cc): FNV-1a 64 of the
// UTF-8 bytes with seed "holdout", a MurmurHash3 finaliser, modulo 5.
const M64 = (1n << 64n) - 1n;
function mix(h) {
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & M64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & M64;
  return h ^ (h >> 33n);
}
function isValidation(text) {
  let h = 0xcbf29ce484222325n ^ 0x686f6c646f7574n;
  for (const b of Buffer.from(text, 'utf8')) h = ((h ^ BigInt(b)) * 0x100000001b3n) & M64;
  return mix(h) % 5n === 0n;
}

const sets = [
  ['davidson (dev)', join(evalDir, 'davidson', 'dev.csv')],
  ['olid (dev)', join(evalDir, 'olid', 'dev.csv')],
  ['ethos (dev)', join(evalDir, 'ethos', 'dev.csv')],
  ['filter edge cases', join(evalDir, 'filter-edge-cases', 'cases.csv')],
].map(([setName, path]) => {
  let name = setName;
  let rows = readCsv(path).map((r) => ({ text: r.text, label: r.label === '1' }));
  const trained = name.startsWith('davidson') || name.startsWith('olid');
  if (split === 'val' && trained) {
    rows = rows.filter((r) => isValidation(r.text));
    name = name.replace('(dev)', '(dev, held out)');
  }
  if (limit) rows = rows.slice(0, limit);
  return { name, rows };
});

// The peers, each as text -> flagged.
const peers = [];
{
  const o = require('obscenity');
  const m = new o.RegExpMatcher({ ...o.englishDataset.build(), ...o.englishRecommendedTransformers });
  peers.push(['obscenity 0.4.6', (t) => m.hasMatch(t)]);
}
{
  const { profanity } = require('@2toad/profanity');
  peers.push(['@2toad/profanity 3.3.0', (t) => profanity.exists(t)]);
}
{
  const { Filter } = require('bad-words');
  const f = new Filter();
  peers.push(['bad-words 4.1.5', (t) => { try { return f.isProfane(t); } catch { return false; } }]);
}
{
  const lp = require('leo-profanity');
  peers.push(['leo-profanity 1.9.0', (t) => lp.check(t)]);
}

const offensive = new Set(['profanity', 'discrimination', 'harassment', 'threats', 'sexual-content']);
function gatehouse(texts) {
  const dir = mkdtempSync(join(tmpdir(), 'gh-peers-'));
  try {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, texts.map((text) => JSON.stringify({ kind: 'post', channel: 'personal', text })).join('\n') + '\n');
    const t = performance.now();
    let out;
    try {
      out = execFileSync(bin, ['check', '--trust', pack, '--jsonl', file], { maxBuffer: 1 << 30, encoding: 'utf8' });
    } catch (e) {
      if (e.status !== 1) throw e; // 1 = some texts were not allowed
      out = e.stdout;
    }
    const seconds = (performance.now() - t) / 1000;
    const flagged = new Array(texts.length).fill(false);
    for (const line of out.split('\n')) {
      if (!line) continue;
      const r = JSON.parse(line);
      flagged[r.index] = (r.findings ?? []).some((f) => offensive.has(f.rule));
    }
    return { flagged, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const scores = (pred, rows) => {
  let tp = 0, fp = 0, fn = 0, right = 0;
  rows.forEach((r, i) => {
    if (pred[i] && r.label) tp += 1;
    else if (pred[i]) fp += 1;
    else if (r.label) fn += 1;
    if (pred[i] === r.label) right += 1;
  });
  const p = tp + fp ? tp / (tp + fp) : 0;
  const rc = tp + fn ? tp / (tp + fn) : 0;
  return { p, r: rc, f1: p + rc ? (2 * p * rc) / (p + rc) : 0, right };
};

const all = sets.flatMap((s) => s.rows.map((r) => r.text));
const table = [];
const speed = [];
// Gatehouse: one process over every text (start-up included), then per set.
{
  const whole = gatehouse(all);
  let at = 0;
  const cells = sets.map((s) => {
    const pred = whole.flagged.slice(at, at + s.rows.length);
    at += s.rows.length;
    return scores(pred, s.rows);
  });
  table.push([`gatehouse (pack ${pack})`, cells]);
  speed.push([`gatehouse check --jsonl (pack ${pack}, one process, start-up included)`, all.length / whole.seconds]);
}
for (const [name, fn] of peers) {
  const cells = sets.map((s) => scores(s.rows.map((r) => Boolean(fn(r.text))), s.rows));
  table.push([name, cells]);
  const t = performance.now();
  let n = 0;
  for (let k = 0; k < 3; k += 1) for (const text of all) { fn(text); n += 1; }
  speed.push([name, n / ((performance.now() - t) / 1000)]);
}

console.log(`Texts: ${sets.map((s) => `${s.name} ${s.rows.length}`).join(', ')}${limit ? ` (first ${limit} of each)` : ''}.\n`);
console.log(`| filter | ${sets.map((s) => `${s.name}: P / R / F1`).join(' | ')} |`);
console.log(`| --- | ${sets.map(() => '---').join(' | ')} |`);
for (const [name, cells] of table) {
  console.log(`| ${name} | ${cells.map((c, i) => `${c.p.toFixed(3)} / ${c.r.toFixed(3)} / **${c.f1.toFixed(3)}**${sets[i].name.startsWith('filter') ? ` (${c.right}/${sets[i].rows.length} right)` : ''}`).join(' | ')} |`);
}
console.log('\n| screening speed, one core | texts/s |\n| --- | ---: |');
for (const [name, v] of speed) console.log(`| ${name} | ${Math.round(v).toLocaleString('en-GB')} |`);
