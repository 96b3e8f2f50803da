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

FIRST = """Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo Alfie
Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Logan Lucas Daniel Theo Arthur Mohammed
Harrison Benjamin Mason Finley Sebastian Adam Dylan Zachary Riley Olivia Amelia Isla Ava Emily Isabella Mia Poppy
Ella Lily Evie Grace Sophia Sophie Freya Florence Scarlett Chloe Daisy Alice Phoebe Matilda Charlotte Sienna Sofia
Evelyn Ruby Harper Ivy Willow Jessica Layla Rosie Millie Imogen Elsie Hannah Zara Aisha Priya Amara Niamh Siobhan
Bethan Rhys Callum Kieran Ciaran Aaliyah Yusuf Ibrahim Hamza Aryan Arjun Kai Reuben Toby Jude Maya Nadia Zoë""".split()

LAST = """Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White
Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose Davis Rodriguez Cox
Alexander Morgan Moore Lee Turner Harris Martin Cooper Hill Ward Morris Clark King Baker Harrison Young Allen Hughes
Edwards Scott Price Bennett Griffiths Kelly Shaw Murphy Bailey Cook Carter Richardson Marshall Collins Bell Ahmed
Ali Hussain Begum Singh Kaur Sharma Okafor Mensah Nowak Kowalski Dewhurst Whiteley Rahman Fenwick Naylor Quigley
Ashworth Pemberton Holloway Fairbairn Thornton Blackwood Greenhalgh Ormerod Sutcliffe Ramsbottom Entwistle Haworth
Cartwright Fletcher Gallagher O'Brien McDonald Fraser Campbell Stewart Reid Duncan Lloyd Pugh Vaughan Howells
Nguyen Smith-Jones""".split()

NICKNAMES = ["Ollie", "Alfie", "Charlie", "Freddie", "Millie", "Izzy", "Sam", "Jo", "Bex", "Tom"]


def school_ids(pack_yaml):
    """The trust's school ids (organisation.schools), read without a YAML parser."""
    with open(pack_yaml, encoding="utf-8") as f:
        ids = re.findall(r"\{\s*id:\s*([\w-]+)\s*,\s*name:", f.read())
    if not ids:
        sys.exit("%s: no schools found" % pack_yaml)
    return ids


def slug(s):
    return s.lower().replace("'", "-").replace("ë", "e")


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
    pupils.writerow(["id", "first_name", "last_name", "preferred_name", "date_of_birth", "school", "status",
                     "left_on", "photo_consent", "social_media_consent"])
    parents.writerow(["id", "first_name", "last_name", "pupil_id", "email", "phone"])
    n_parents = 0
    for i in range(1, args.pupils + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        former = rng.random() < 0.05
        year = rng.randint(2005, 2008) if former else rng.randint(2008, 2021)
        pid = "P%06d" % i
        pupils.writerow([pid, first, last, rng.choice(NICKNAMES) if rng.random() < 0.05 else "",
                         "%04d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28)), rng.choice(schools),
                         "former" if former else "current", "2024-07-19" if former else "",
                         "yes" if rng.random() < 0.8 else "no", "yes" if rng.random() < 0.6 else "no"])
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
