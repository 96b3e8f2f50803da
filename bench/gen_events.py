#!/usr/bin/env python3
"""Writes a JSONL file of synthetic personal posts for `gatehouse check --jsonl` benchmarks.

    bench/gen_events.py --register /tmp/gh-bench/register --out /tmp/gh-bench/events.jsonl \\
        [--count 100000] [--length 280] [--seed 42]

Each line is one event of about --length characters of text: 62% everyday chat,
8% naming a pupil of the register, 3% naming a colleague, 8% profanity, 8% a
link, 5% an e-mail address, phone number or street address, 6% two of these.
Authors are staff ids of the register; times are weekdays in March 2026, 30%
in school hours. Fixed seed: the same file on every run. Standard library only.
"""
import argparse
import csv
import json
import os
import random
import sys

CLEAN = [
    "Lovely walk along the canal this morning with the dog.",
    "Anyone got a good recipe for a vegetable lasagne? Cooking for eight on Saturday.",
    "Finally finished the book club novel, what an ending.",
    "Half term plans: sleep, garden, and far too much tea.",
    "Great to catch up with old friends from university last night.",
    "The allotment is finally producing tomatoes, only took three years.",
    "Parkrun PB this morning! 24:31, very happy with that.",
    "Does anyone know a reliable plumber in the area? The boiler has given up again.",
    "Watching the rugby with the family, come on England!",
    "The café in town does the best scones, £3.50 with jam and cream.",
    "So proud of my daughter passing her driving test today \U0001F389",
    "Rain again. Typical bank holiday weather in the Midlands.",
    "Marathon training week 6: legs are not happy but we keep going.",
    "Trying to learn Spanish on an app, día 45 and still confused by the verbs.",
    "Our choir concert is on Friday at St Mary's church hall, tickets on the door.",
    "Booked a week in Cornwall for the summer, cannot wait for the beach.",
    "The cat has decided the laundry basket is her new bed.",
    "Thanks to everyone who sponsored the charity bike ride, we raised £1,240!",
    "Made a naïve first attempt at sourdough. It is a brick.",
    "Sunday roast at my mum's, then a long nap on the sofa.",
    "Two hours queuing on the M6 this evening, never again.",
    "New running shoes arrived and they are very orange.",
    "Happy anniversary to my wonderful husband, twelve years today.",
    "Garden centre trip for compost turned into buying six new plants.",
    "Quiz night at the Red Lion raised money for the hospice, well done all.",
    "Does anyone have a spare ticket for the Coldplay gig in June?",
    "First barbecue of the year, slightly burnt sausages as tradition demands.",
    "Reading Jane Austen again and enjoying it far more than at eighteen.",
]
PROFANE = [
    "What a shit day, honestly.",
    "This fucking printer has jammed again.",
    "Absolute bollocks from the council about the bins.",
    "Sh1t weather for the school run tomorrow.",
    "Who the fuck thought this traffic system was a good idea?",
    "Piss off, Monday.",
]
LINKS = [
    "Photos from the weekend here: https://www.facebook.com/photos/a.12345/678",
    "Worth a read https://bit.ly/3xYz12q",
    "My new blog post: https://myblog.example.org/2026/03/spring-notes",
    "Signed the petition at https://petition.parliament.uk/petitions/700123 today.",
    "Recipe from https://www.bbcgoodfood.com/recipes/easy-lasagne if anyone wants it.",
    "Sale on at www.example-shop.co.uk/sale this week.",
]
CONTACTS = [
    "Message me at jo.smith1984@gmail.com if you can help.",
    "Call me on 07700 900123 after six if you want the bike.",
    "Tickets from sarah.k@outlook.com or on 01632 960451.",
    "Drop round to 14 Orchard Close, any time after seven.",
]
PUPIL_PHRASES = [
    "Well done to {} for a brilliant performance in the concert today.",
    "{} was a star in the match this afternoon.",
    "Saw {} at the shops, all grown up now.",
]
STAFF_PHRASES = ["Lovely evening out with {} and the team.", "Happy retirement to {}, you will be missed!"]
PLATFORMS = ["facebook", "facebook", "facebook", "x", "instagram", "linkedin", "tiktok"]


def read_names(path, limit, current_only=False):
    names, ids = [], []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ids.append(row["id"])
            if current_only and row.get("status") != "current":
                continue
            if len(names) < limit:
                names.append("%s %s" % (row["first_name"], row["last_name"]))
    return names, ids


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--register", required=True, help="register folder written by gen_register.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--length", type=int, default=280)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    pupil_names, _ = read_names(os.path.join(args.register, "pupils.csv"), 2000, current_only=True)
    staff_names, staff_ids = read_names(os.path.join(args.register, "staff.csv"), 500)

    def special(kind):
        if kind == 0:
            return rng.choice(PUPIL_PHRASES).format(rng.choice(pupil_names))
        if kind == 1:
            return rng.choice(STAFF_PHRASES).format(rng.choice(staff_names))
        return rng.choice([PROFANE, LINKS, CONTACTS][kind - 2])

    total_bytes = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        for _ in range(args.count):
            roll = rng.randrange(100)
            parts = []
            if roll < 62:
                pass
            elif roll < 70:
                parts.append(special(0))
            elif roll < 73:
                parts.append(special(1))
            elif roll < 81:
                parts.append(special(2))
            elif roll < 89:
                parts.append(special(3))
            elif roll < 94:
                parts.append(special(4))
            else:
                parts += [special(rng.randrange(5)), special(rng.randrange(5))]
            text = " ".join(parts)
            while len(text) < args.length + 40:
                text = (text + " " if text else "") + rng.choice(CLEAN)
            cut = text.rfind(" ", 0, args.length + 1)
            text = text[:cut if cut > 0 else args.length]
            daytime = rng.random() < 0.3
            hour = rng.randint(9, 14) if daytime else rng.randint(18, 22)
            event = {
                "kind": "post" if rng.random() < 0.9 else "comment",
                "channel": "personal",
                "platform": rng.choice(PLATFORMS),
                "author": rng.choice(staff_ids),
                "at": "2026-03-%02dT%02d:%02d:00+00:00" % (rng.randint(2, 6), hour, rng.randrange(60)),
                "text": text,
            }
            line = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            total_bytes += len(line.encode("utf-8")) + 1
            out.write(line + "\n")
    print("wrote %s: %d events, %d bytes" % (args.out, args.count, total_bytes), file=sys.stderr)


if __name__ == "__main__":
    main()
