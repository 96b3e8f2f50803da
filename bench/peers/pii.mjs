// See run.sh (--pii). Personal data: Gatehouse beside the npm PII libraries on
// Microsoft Presidio's recogniser cases (../shared/eval/presidio-pii/cases.jsonl),
// scored per entity family exactly as bench/eval_accuracy.cc scores Gatehouse:
// a detection is correct when it overlaps an expected span of the same family;
// precision is over every detection a tool reports for that family, in all
// cases (other families' cases included); recall is over expected entities.
// Rows marked "leniency" (7 phone rows) are ignored, as there.
//
// Each library's own entity types are mapped to the Presidio families below;
// a family a library has no type for is shown as "—" (not supported), not 0.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const evalBin = arg('--eval-bin');
const evalDir = process.env.GATEHOUSE_EVAL_DIR;
const scratch = process.env.GATEHOUSE_PEERS_DIR || join(process.cwd(), 'build', 'peers');
const require = createRequire(join(scratch, 'package.json'));
const versionOf = (name) => JSON.parse(readFileSync(join(scratch, 'node_modules', name, 'package.json'), 'utf8')).version;

const casesPath = join(evalDir, 'presidio-pii', 'cases.jsonl');
if (basename(casesPath).startsWith('test')) throw new Error('test files are never read here');
const cases = readFileSync(casesPath, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((c) => c.variant !== 'leniency');

// The families of the issue (personal data), then two more the cases hold.
const families = [
  'EMAIL_ADDRESS', 'PHONE_NUMBER', 'UK_NHS', 'UK_NINO', 'UK_POSTCODE', 'UK_PASSPORT',
  'UK_DRIVING_LICENCE', 'UK_VEHICLE_REGISTRATION', 'CREDIT_CARD', 'IBAN_CODE',
  'IP_ADDRESS', 'URL',
];

// Each peer: name, family -> predicate over its type names (absent = not
// supported), and text -> [{type, start, end}] (UTF-16 offsets; every case is
// in the BMP, so these equal the code-point offsets of cases.jsonl).
const peers = [];

{
  // @openredaction/openredaction, default options. Its 558 patterns include
  // types named for other countries; a UK family counts the UK type and the
  // types named for no country. Passports are counted generously: any
  // passport type (its "CD7654321" is an UZBEKISTAN_PASSPORT) counts as a UK
  // passport.
  const { OpenRedaction } = require('@openredaction/openredaction');
  const shield = new OpenRedaction();
  const map = {
    EMAIL_ADDRESS: (t) => t === 'EMAIL',
    PHONE_NUMBER: (t) => t.startsWith('PHONE_'),
    UK_NHS: (t) => t === 'NHS_NUMBER',
    UK_NINO: (t) => t === 'NATIONAL_INSURANCE_UK',
    UK_POSTCODE: (t) => t === 'POSTCODE_UK',
    UK_PASSPORT: (t) => t.includes('PASSPORT'),
    UK_DRIVING_LICENCE: (t) => t === 'DRIVING_LICENSE_UK',
    UK_VEHICLE_REGISTRATION: (t) => ['UK_LICENSE_PLATE', 'LICENSE_PLATE', 'INTERNATIONAL_LICENSE_PLATE'].includes(t),
    CREDIT_CARD: (t) => t === 'CREDIT_CARD',
    IBAN_CODE: (t) => t === 'IBAN' || t === 'UK_BANK_ACCOUNT_IBAN',
    IP_ADDRESS: (t) => t === 'IPV4' || t === 'IPV6',
    URL: (t) => t === 'URL_WITH_AUTH',
  };
  peers.push({
    name: `@openredaction/openredaction ${versionOf('@openredaction/openredaction')}`,
    map,
    detect: (text) => shield.detect(text).detections.map((d) => ({ type: d.type, start: d.position[0], end: d.position[1] })),
  });
}

// redact-pii and @redactpii/node only return redacted text. They apply their
// regular expressions one after another, each to the text the previous ones
// left; this replays that pipeline with the libraries' own patterns and
// replacement words, keeping where each replacement came from in the
// original. The replayed output is compared with the library's own.
function replay(text, rules) {
  let cur = text;
  let from = Array.from({ length: text.length }, (_, i) => i); // original start of each UTF-16 unit of cur
  let to = from.map((i) => i + 1);
  const found = [];
  for (const { type, regex, replaceWith } of rules) {
    const re = new RegExp(regex.source, regex.flags);
    let out = '';
    const nf = [];
    const nt = [];
    let last = 0;
    cur.replace(re, (...args) => {
      const m = args[0];
      const at = args.find((a, k) => k > 0 && typeof a === 'number');
      out += cur.slice(last, at);
      nf.push(...from.slice(last, at));
      nt.push(...to.slice(last, at));
      if (m.length > 0) {
        const s = Math.min(...from.slice(at, at + m.length));
        const e = Math.max(...to.slice(at, at + m.length));
        found.push({ type, start: s, end: e });
        out += replaceWith;
        for (let k = 0; k < replaceWith.length; k += 1) {
          nf.push(s);
          nt.push(e);
        }
      }
      last = at + m.length;
      return '';
    });
    out += cur.slice(last);
    nf.push(...from.slice(last));
    nt.push(...to.slice(last));
    cur = out;
    from = nf;
    to = nt;
  }
  return { text: cur, found };
}

{
  // redact-pii: its built-in regular expressions in its order; the names
  // redactor (a word list, run last) is left out, as no family is a name.
  const rp = require('redact-pii');
  const patterns = require(join(scratch, 'node_modules', 'redact-pii', 'lib', 'built-ins', 'simple-regexp-patterns.js'));
  const snake = (s) => s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const rules = Object.keys(patterns).map((k) => ({ type: k, regex: patterns[k], replaceWith: snake(k) }));
  const lib = new rp.SyncRedactor({ builtInRedactors: { names: { enabled: false } } });
  const map = {
    EMAIL_ADDRESS: (t) => t === 'emailAddress',
    PHONE_NUMBER: (t) => t === 'phoneNumber',
    CREDIT_CARD: (t) => t === 'creditCardNumber',
    IP_ADDRESS: (t) => t === 'ipAddress',
    URL: (t) => t === 'url',
  };
  peers.push({
    name: `redact-pii ${versionOf('redact-pii')}`,
    map,
    detect: (text) => {
      const r = replay(text, rules);
      if (r.text !== lib.redact(text)) throw new Error(`redact-pii replay differs on ${JSON.stringify(text)}`);
      return r.found;
    },
  });
}

{
  // @redactpii/node, default rules (CREDIT_CARD, EMAIL, NAME, PHONE, SSN).
  const { Redactor } = await import(join(scratch, 'node_modules', '@redactpii', 'node', 'lib', 'index.mjs'));
  const lib = new Redactor();
  const words = { CREDIT_CARD: 'CREDIT_CARD_NUMBER', EMAIL: 'EMAIL_ADDRESS', PERSON_NAME: 'PERSON_NAME', PHONE_NUMBER: 'PHONE_NUMBER', US_SOCIAL_SECURITY_NUMBER: 'US_SOCIAL_SECURITY_NUMBER' };
  const rules = lib.activeRules.map((r) => ({ type: r.name, regex: r.pattern, replaceWith: words[r.name] ?? 'DIGITS' }));
  const map = {
    EMAIL_ADDRESS: (t) => t === 'EMAIL',
    PHONE_NUMBER: (t) => t === 'PHONE_NUMBER',
    CREDIT_CARD: (t) => t === 'CREDIT_CARD',
  };
  peers.push({
    name: `@redactpii/node ${versionOf('@redactpii/node')}`,
    map,
    detect: (text) => {
      const r = replay(text, rules);
      if (r.text !== lib.redact(text)) throw new Error(`@redactpii/node replay differs on ${JSON.stringify(text)}`);
      return r.found;
    },
  });
}

const overlaps = (a, b) => a.start < b.end && b.start < a.end;

function score(peer) {
  const t = Object.fromEntries(families.map((f) => [f, { expected: 0, found: 0, detections: 0, correct: 0 }]));
  for (const c of cases) {
    const dets = peer.detect(c.text);
    const matched = c.entities.map(() => false);
    for (const f of families) {
      const pred = peer.map[f];
      if (!pred) continue;
      for (const d of dets.filter((x) => pred(x.type))) {
        t[f].detections += 1;
        let ok = false;
        c.entities.forEach((e, k) => {
          if (e.type === f && overlaps(e, d)) {
            ok = true;
            matched[k] = true;
          }
        });
        if (ok) t[f].correct += 1;
      }
    }
    c.entities.forEach((e, k) => {
      if (!t[e.type]) return;
      t[e.type].expected += 1;
      if (matched[k] && peer.map[e.type]) t[e.type].found += 1;
    });
  }
  return Object.fromEntries(families.map((f) => [f, peer.map[f] ? t[f] : null]));
}

// Gatehouse: eval_accuracy's own figures (--pii-json), so both come from one
// definition of a match.
function gatehouse() {
  const dir = mkdtempSync(join(tmpdir(), 'gh-pii-'));
  try {
    const json = join(dir, 'pii.json');
    execFileSync(evalBin, ['--dataset', 'pii', '--eval-dir', evalDir, '--pii-json', json], { stdio: 'ignore' });
    const fams = JSON.parse(readFileSync(json, 'utf8')).families;
    return Object.fromEntries(families.map((f) => [f, fams[f] ?? null]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [['Gatehouse', gatehouse()], ...peers.map((p) => [p.name, score(p)])];
const prf = (x) => {
  const p = x.detections ? x.correct / x.detections : 0;
  const r = x.expected ? x.found / x.expected : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
};

console.log(`Cases: ${cases.length} (presidio-pii, 'leniency' rows ignored). Cell: precision / recall / **F1** (detections, found of expected); — = the tool has no type for the family.\n`);
console.log(`| family | ${results.map(([n]) => n).join(' | ')} |`);
console.log(`| --- | ${results.map(() => '---').join(' | ')} |`);
for (const f of families) {
  const cells = results.map(([, r]) => {
    const x = r[f];
    if (!x) return '—';
    const { p, r: rc, f1 } = prf(x);
    return `${p.toFixed(3)} / ${rc.toFixed(3)} / **${f1.toFixed(3)}** (${x.detections} det., ${x.found}/${x.expected})`;
  });
  console.log(`| ${f} | ${cells.join(' | ')} |`);
}
