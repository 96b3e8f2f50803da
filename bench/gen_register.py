#!/usr/bin/env python3
"""Writes a synthetic register folder (CHECK.md "The register folder") for benchmarks.

    bench/gen_register.py --out /tmp/gh-bench/register [--pupils 50000] [--seed 20260304]

A large trust: --pupils pupils (5% former), one parent row per pupil, one member
of staff per 12 pupils, 200 staff-pupil relatives, 30 sites and a school day
(08:30-15:30, lunch break 12:15-13:00, Monday to Friday) for every school of
every pack under policies/. Fixed seed: the same files on every run.
Standard library only.
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
Bethan Rhys Callum Kieran Ciaran Aaliyah Yusuf Ibrahim Hamza Aryan Arjun Kai Reuben Toby Jude Maya Nadia""".split()

LAST = """Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White
Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose Davis Rodriguez Cox
Alexander Morgan Moore Lee Turner Harris Martin Cooper Hill Ward Morris Clark King Baker Harrison Young Allen Hughes
Edwards Scott Price Bennett Griffiths Kelly Shaw Murphy Bailey Cook Carter Richardson Marshall Collins Bell Ahmed
Ali Hussain Begum Singh Kaur Sharma Okafor Mensah Nowak Kowalski Dewhurst Whiteley Rahman Fenwick Naylor Quigley
Ashworth Pemberton Holloway Fairbairn Thornton Blackwood Greenhalgh Ormerod Sutcliffe Ramsbottom Entwistle Haworth
Cartwright Fletcher Gallagher O'Brien McDonald Fraser Campbell Stewart Reid Duncan Lloyd Pugh Vaughan Howells
Nguyen""".split()

NICKNAMES = ["Ollie", "Alfie", "Charlie", "Freddie", "Millie", "Izzy", "Sam", "Jo", "Bex", "Tom"]
ROLES = ["teacher"] * 4 + ["teaching_assistant"] * 2 + ["office", "slt", "dsl", "headteacher"]
RELATIONSHIPS = ["child", "niece", "nephew", "grandchild", "sibling"]
APPROVED = ["facebook.com", "x.com", "instagram.com", "linkedin.com", "youtube.com", "bbc.co.uk", "gov.uk",
            "parliament.uk"]
NOT_APPROVED = ["example-shop.co.uk", "onlyfans.com", "4chan.org"]


def school_ids(policies):
    """School ids of every pack (policies/<trust>/pack.yaml), read without a YAML parser."""
    ids = []
    for trust in sorted(os.listdir(policies)):
        path = os.path.join(policies, trust, "pack.yaml")
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            ids += re.findall(r"\{\s*id:\s*([\w-]+)\s*,\s*name:", f.read())
    return ids or ["school"]


def slug(s):
    return s.lower().replace("'", "-")


PUPIL_COLUMNS = ["id", "first_name", "last_name", "preferred_name", "date_of_birth", "school", "status", "left_on",
                 "photo_consent", "social_media_consent"]


def pupil_row(rng, pid, schools):
    """One pupils.csv row (PUPIL_COLUMNS): 5% former pupils, 80% photo and 60% social-media consent.
    Also used by bench/server/gen_roster.py."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    former = rng.random() < 0.05
    year = rng.randint(2005, 2008) if former else rng.randint(2008, 2021)
    return [pid, first, last, rng.choice(NICKNAMES) if rng.random() < 0.05 else "",
            "%04d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28)), rng.choice(schools),
            "former" if former else "current", "2024-07-19" if former else "",
            "yes" if rng.random() < 0.8 else "no", "yes" if rng.random() < 0.6 else "no"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder to write the CSV files into")
    ap.add_argument("--pupils", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=20260304)
    ap.add_argument("--policies", default=os.path.join(here, "..", "policies"))
    args = ap.parse_args()

    rng = random.Random(args.seed)
    schools = school_ids(args.policies)
    os.makedirs(args.out, exist_ok=True)

    def writer(name, header):
        f = open(os.path.join(args.out, name), "w", encoding="utf-8", newline="")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        return f, w

    fp, pupils = writer("pupils.csv", PUPIL_COLUMNS)
    fa, parents = writer("parents.csv", ["id", "first_name", "last_name", "pupil_id", "email", "phone"])
    for i in range(1, args.pupils + 1):
        pid = "P%06d" % i
        row = pupil_row(rng, pid, schools)
        pupils.writerow(row)
        last = row[2]
        pfirst = rng.choice(FIRST)
        parents.writerow(["A%06d" % i, pfirst, last, pid, "%s.%s%d@example.com" % (slug(pfirst), slug(last), i % 97),
                          "07700 9%05d" % rng.randrange(100000)])
    fp.close()
    fa.close()

    staff_ids = []
    fs, staff = writer("staff.csv", ["id", "first_name", "last_name", "email", "role", "school", "spokesperson"])
    for i in range(1, max(args.pupils // 12, 10) + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        role = rng.choice(ROLES)
        sid = "S%05d" % i
        staff_ids.append(sid)
        staff.writerow([sid, first, last, "%s.%s@staff.example.org.uk" % (slug(first), slug(last)), role,
                        rng.choice(schools), "yes" if role == "headteacher" else "no"])
    fs.close()

    fr, rel = writer("relatives.csv", ["staff_id", "pupil_id", "relationship"])
    for _ in range(200):
        rel.writerow([rng.choice(staff_ids), "P%06d" % rng.randint(1, args.pupils), rng.choice(RELATIONSHIPS)])
    fr.close()

    fsi, sites = writer("sites.csv", ["domain", "status"])
    for d in APPROVED:
        sites.writerow([d, "approved"])
    for d in NOT_APPROVED:
        sites.writerow([d, "not_approved"])
    for i in range(19):
        sites.writerow(["partner%d.example.org" % i, "approved"])
    fsi.close()

    fh, hours = writer("hours.csv", ["school", "day", "start", "end", "kind"])
    for s in schools:
        for day in ["mon", "tue", "wed", "thu", "fri"]:
            hours.writerow([s, day, "08:30", "15:30", "work"])
            hours.writerow([s, day, "12:15", "13:00", "break"])
    fh.close()
    print("wrote %s: %d pupils, %d parents, %d staff, %d schools" % (args.out, args.pupils, args.pupils,
                                                                     len(staff_ids), len(schools)), file=sys.stderr)


if __name__ == "__main__":
    main()
