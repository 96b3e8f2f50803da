#!/usr/bin/env python3
"""Writes a large pupil roster for one trust: pupils.csv and parents.csv (CHECK.md columns).

    bench/server/gen_roster.py --trust chiltern --out /tmp/gh-server-bench/roster [--pupils 50000] [--seed 3]

For `gatehouse import --trust T --db DB DIR` timings (docs/performance.md, "Server").
Pupils are spread over the trust's own schools (read from policies/<trust>/pack.yaml), 5% of
them former pupils; about one parent per pupil (a few have two, a few none). Ids (P######,
A######) do not collide with the demo registers' (P0001, PA001). Fixed seed: the same bytes
on every run. Standard library only.
"""
import argparse
import csv
import os
import random
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from gen_register import FIRST, LAST, PUPIL_COLUMNS, pupil_row, slug  # noqa: E402  (one name list, one pupil row)


def school_ids(pack_yaml):
    """The trust's school ids (organisation.schools), read without a YAML parser."""
    with open(pack_yaml, encoding="utf-8") as f:
        ids = re.findall(r"\{\s*id:\s*([\w-]+)\s*,\s*name:", f.read())
    if not ids:
        sys.exit("%s: no schools found" % pack_yaml)
    return ids


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trust", default="chiltern")
    ap.add_argument("--out", required=True, help="folder to write pupils.csv and parents.csv into")
    ap.add_argument("--pupils", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--policies", default=os.path.join(here, "..", "..", "policies"))
    args = ap.parse_args()

    rng = random.Random(args.seed)
    schools = school_ids(os.path.join(args.policies, args.trust, "pack.yaml"))
    os.makedirs(args.out, exist_ok=True)
    fp = open(os.path.join(args.out, "pupils.csv"), "w", encoding="utf-8", newline="")
    fa = open(os.path.join(args.out, "parents.csv"), "w", encoding="utf-8", newline="")
    pupils, parents = csv.writer(fp, lineterminator="\n"), csv.writer(fa, lineterminator="\n")
    pupils.writerow(PUPIL_COLUMNS)
    parents.writerow(["id", "first_name", "last_name", "pupil_id", "email", "phone"])
    n_parents = 0
    for i in range(1, args.pupils + 1):
        pid = "P%06d" % i
        row = pupil_row(rng, pid, schools)
        pupils.writerow(row)
        last = row[2]
        r = rng.random()
        count = 0 if r < 0.03 else (2 if r > 0.97 else 1)
        for _ in range(count):
            n_parents += 1
            pfirst = rng.choice(FIRST)
            parents.writerow(["A%06d" % n_parents, pfirst, last, pid,
                              "%s.%s%d@example.com" % (slug(pfirst), slug(last), n_parents % 97),
                              "07700 9%05d" % rng.randrange(100000)])
    fp.close()
    fa.close()
    print("wrote %s: %d pupils, %d parents over %d schools of %s (%s)" %
          (args.out, args.pupils, n_parents, len(schools), args.trust, ", ".join(schools)), file=sys.stderr)


if __name__ == "__main__":
    main()
