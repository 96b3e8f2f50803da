#!/usr/bin/env python3
"""Extracts the clause inventory of CLAUSES.md into policies/clauses.tsv.

Usage: scripts/extract-clauses.py ../shared/policies/CLAUSES.md > policies/clauses.tsv

The product never reads ../shared; this generated copy is what the linter and
the coverage report use. Columns: id, trust, kind, applies_to, check, tag,
severity, text (tag = the first CHECK tag: CONTENT, CONTEXT, WORKFLOW, RECORD
or HUMAN).
"""
import re
import sys

ROW = re.compile(r"^\| ((?:LLMAT|MERCIA|LT2|LAT|CLT)-[A-Za-z0-9.\-]+) \|")

def cells(line):
    parts = [p.strip() for p in line.strip().strip("|").split(" | ")]
    return parts

def main(path):
    out = ["id\ttrust\tkind\tapplies_to\tcheck\ttag\tseverity\ttext"]
    seen = set()
    for line in open(path, encoding="utf-8"):
        if not ROW.match(line):
            continue
        c = cells(line)
        if len(c) < 8:
            continue
        cid, text, kind, applies, check, _who, severity = c[0], c[1], c[2], c[3], c[4], c[5], c[6]
        if cid in seen:
            continue
        seen.add(cid)
        tag = re.match(r"[A-Z]+", check).group(0)
        trust = cid.split("-")[0]
        clean = lambda s: s.replace("\t", " ")
        out.append("\t".join(clean(x) for x in [cid, trust, kind, applies, check, tag, severity, text]))
    sys.stdout.write("\n".join(out) + "\n")
    print(f"extracted {len(seen)} clauses", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1])
