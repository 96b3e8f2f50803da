#include "synth.h"

#include <algorithm>
#include <cstdio>

namespace gh::bench {

namespace {

const char* const kFirst[] = {
    "Oliver",   "George", "Harry",   "Jack",      "Jacob",     "Noah",     "Charlie",   "Muhammad",
    "Thomas",   "Oscar",  "William", "James",     "Henry",     "Leo",      "Alfie",     "Joshua",
    "Freddie",  "Archie", "Ethan",   "Isaac",     "Alexander", "Joseph",   "Edward",    "Samuel",
    "Max",      "Logan",  "Lucas",   "Daniel",    "Theo",      "Arthur",   "Mohammed",  "Harrison",
    "Benjamin", "Mason",  "Finley",  "Sebastian", "Adam",      "Dylan",    "Zachary",   "Riley",
    "Olivia",   "Amelia", "Isla",    "Ava",       "Emily",     "Isabella", "Mia",       "Poppy",
    "Ella",     "Lily",   "Evie",    "Grace",     "Sophia",    "Sophie",   "Freya",     "Florence",
    "Scarlett", "Chloe",  "Daisy",   "Alice",     "Phoebe",    "Matilda",  "Charlotte", "Sienna",
    "Sofia",    "Evelyn", "Ruby",    "Harper",    "Ivy",       "Willow",   "Jessica",   "Layla",
    "Rosie",    "Millie", "Imogen",  "Elsie",     "Hannah",    "Zara",     "Aisha",     "Priya",
    "Amara",    "Niamh",  "Siobhan", "Bethan",    "Rhys",      "Callum",   "Kieran",    "Ciaran",
    "Aaliyah",  "Yusuf",  "Ibrahim", "Hamza",     "Aryan",     "Arjun",    "Kai",       "Reuben",
    "Toby",     "Jude",   "Maya",    "Nadia",
};

const char* const kLast[] = {
    "Smith",     "Jones",     "Taylor",     "Brown",      "Williams",   "Wilson",    "Johnson",
    "Davies",    "Robinson",  "Wright",     "Thompson",   "Evans",      "Walker",    "White",
    "Roberts",   "Green",     "Hall",       "Wood",       "Jackson",    "Clarke",    "Patel",
    "Khan",      "Lewis",     "James",      "Phillips",   "Mason",      "Mitchell",  "Rose",
    "Davis",     "Rodriguez", "Cox",        "Alexander",  "Morgan",     "Moore",     "Lee",
    "Turner",    "Harris",    "Martin",     "Cooper",     "Hill",       "Ward",      "Morris",
    "Clark",     "King",      "Baker",      "Harrison",   "Young",      "Allen",     "Hughes",
    "Edwards",   "Scott",     "Price",      "Bennett",    "Griffiths",  "Kelly",     "Shaw",
    "Murphy",    "Bailey",    "Cook",       "Carter",     "Richardson", "Marshall",  "Collins",
    "Bell",      "Ahmed",     "Ali",        "Hussain",    "Begum",      "Singh",     "Kaur",
    "Sharma",    "Okafor",    "Mensah",     "Nowak",      "Kowalski",   "Dewhurst",  "Whiteley",
    "Rahman",    "Fenwick",   "Naylor",     "Quigley",    "Ashworth",   "Pemberton", "Holloway",
    "Fairbairn", "Thornton",  "Blackwood",  "Greenhalgh", "Ormerod",    "Sutcliffe", "Ramsbottom",
    "Entwistle", "Haworth",   "Cartwright", "Fletcher",   "Gallagher",  "O'Brien",   "McDonald",
    "Fraser",    "Campbell",  "Stewart",    "Reid",       "Duncan",     "Lloyd",     "Pugh",
    "Vaughan",   "Howells",   "Nguyen",
};

const char* const kNicknames[] = {"Ollie", "Alfie", "Charlie", "Freddie", "Millie",
                                  "Izzy",  "Sam",   "Jo",      "Bex",     "Tom"};

const char* const kClean[] = {
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
    "So proud of my daughter passing her driving test today 🎉",
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
};

const char* const kProfane[] = {
    "What a shit day, honestly.",
    "This fucking printer has jammed again.",
    "Absolute bollocks from the council about the bins.",
    "Sh1t weather for the school run tomorrow.",
    "Who the fuck thought this traffic system was a good idea?",
    "Piss off, Monday.",
};

const char* const kLinks[] = {
    "Photos from the weekend here: https://www.facebook.com/photos/a.12345/678",
    "Worth a read https://bit.ly/3xYz12q",
    "My new blog post: https://myblog.example.org/2026/03/spring-notes",
    "Signed the petition at https://petition.parliament.uk/petitions/700123 today.",
    "Recipe from https://www.bbcgoodfood.com/recipes/easy-lasagne if anyone wants it.",
    "Sale on at www.example-shop.co.uk/sale this week.",
};

const char* const kContacts[] = {
    "Message me at jo.smith1984@gmail.com if you can help.",
    "Call me on 07700 900123 after six if you want the bike.",
    "Tickets from sarah.k@outlook.com or on 01632 960451.",
    "Drop round to 14 Orchard Close, any time after seven.",
};

const char* const kPupilPhrases[] = {
    "Well done to %s for a brilliant performance in the concert today.",
    "%s was a star in the match this afternoon.",
    "Saw %s at the shops, all grown up now.",
};

const char* const kStaffPhrases[] = {
    "Lovely evening out with %s and the team.",
    "Happy retirement to %s, you will be missed!",
};

const char* const kPlatforms[] = {"facebook",  "facebook", "facebook", "x",
                                  "instagram", "linkedin", "tiktok"};

std::string Format(const char* pattern, const std::string& value) {
  char buf[512];
  std::snprintf(buf, sizeof buf, pattern, value.c_str());
  return buf;
}

void AppendCsvField(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendRow(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out.push_back(',');
    first = false;
    AppendCsvField(out, f);
  }
  out.push_back('\n');
}

std::string Id(char prefix, size_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%0*zu", prefix, width, n);
  return buf;
}

std::string Date(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '\'') c = '-';
  }
  return s;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

SyntheticRegister MakeRegister(size_t pupils, const std::vector<std::string>& schools_in,
                               uint64_t seed) {
  Rng rng(seed);
  const std::vector<std::string> schools =
      schools_in.empty() ? std::vector<std::string>{"school"} : schools_in;
  SyntheticRegister reg;

  std::string p =
      "id,first_name,last_name,preferred_name,date_of_birth,school,status,left_on,photo_consent,"
      "social_media_consent\n";
  std::string pa = "id,first_name,last_name,pupil_id,email,phone\n";
  p.reserve(pupils * 80);
  pa.reserve(pupils * 80);
  for (size_t i = 1; i <= pupils; ++i) {
    const std::string first = rng.Pick(kFirst), last = rng.Pick(kLast);
    const bool former = rng.Below(100) < 5;
    const std::string id = Id('P', i, 6);
    const int year =
        former ? 2005 + static_cast<int>(rng.Below(4)) : 2008 + static_cast<int>(rng.Below(14));
    const std::string dob =
        Date(year, 1 + static_cast<int>(rng.Below(12)), 1 + static_cast<int>(rng.Below(28)));
    const std::string preferred = rng.Below(100) < 5 ? rng.Pick(kNicknames) : "";
    AppendRow(p, {id, first, last, preferred, dob, schools[rng.Below(schools.size())],
                  former ? "former" : "current", former ? "2024-07-19" : "",
                  rng.Below(100) < 80 ? "yes" : "no", rng.Below(100) < 60 ? "yes" : "no"});
    if (reg.pupil_names.size() < 2000 && !former) reg.pupil_names.push_back(first + " " + last);
    const std::string pfirst = rng.Pick(kFirst);
    char phone[32];
    std::snprintf(phone, sizeof phone, "07700 9%05zu", rng.Below(100000));
    AppendRow(pa,
              {Id('A', i, 6), pfirst, last, id,
               Lower(pfirst) + "." + Lower(last) + std::to_string(i % 97) + "@example.com", phone});
  }

  const size_t staff_count = std::max<size_t>(pupils / 12, 10);
  static const char* const kRoles[] = {
      "teacher", "teacher", "teacher", "teacher",    "teaching_assistant", "teaching_assistant",
      "office",  "slt",     "dsl",     "headteacher"};
  std::string s = "id,first_name,last_name,email,role,school,spokesperson\n";
  for (size_t i = 1; i <= staff_count; ++i) {
    const std::string first = rng.Pick(kFirst), last = rng.Pick(kLast);
    const std::string id = Id('S', i, 5);
    const std::string role = rng.Pick(kRoles);
    AppendRow(s, {id, first, last, Lower(first) + "." + Lower(last) + "@staff.example.org.uk", role,
                  schools[rng.Below(schools.size())], role == "headteacher" ? "yes" : "no"});
    reg.staff_ids.push_back(id);
    if (reg.staff_names.size() < 500) reg.staff_names.push_back(first + " " + last);
  }

  std::string r = "staff_id,pupil_id,relationship\n";
  static const char* const kRel[] = {"child", "niece", "nephew", "grandchild", "sibling"};
  for (size_t i = 0; i < 200; ++i) {
    AppendRow(r, {reg.staff_ids[rng.Below(reg.staff_ids.size())], Id('P', 1 + rng.Below(pupils), 6),
                  rng.Pick(kRel)});
  }

  std::string si = "domain,status\n";
  static const char* const kApproved[] = {"facebook.com", "x.com",        "instagram.com",
                                          "linkedin.com", "youtube.com",  "bbc.co.uk",
                                          "gov.uk",       "parliament.uk"};
  static const char* const kNotApproved[] = {"example-shop.co.uk", "onlyfans.com", "4chan.org"};
  for (const char* d : kApproved) AppendRow(si, {d, "approved"});
  for (const char* d : kNotApproved) AppendRow(si, {d, "not_approved"});
  for (int i = 0; i < 19; ++i)
    AppendRow(si, {"partner" + std::to_string(i) + ".example.org", "approved"});

  std::string h = "school,day,start,end,kind\n";
  for (const auto& school : schools) {
    for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) {
      AppendRow(h, {school, day, "08:30", "15:30", "work"});
      AppendRow(h, {school, day, "12:15", "13:00", "break"});
    }
  }

  reg.tables = {{"pupils.csv", std::move(p)},   {"staff.csv", std::move(s)},
                {"parents.csv", std::move(pa)}, {"relatives.csv", std::move(r)},
                {"sites.csv", std::move(si)},   {"hours.csv", std::move(h)}};
  for (const auto& [name, text] : reg.tables) reg.bytes += text.size();
  return reg;
}

SyntheticEvents MakeEvents(size_t count, size_t text_length, const SyntheticRegister& reg,
                           uint64_t seed) {
  Rng rng(seed);
  SyntheticEvents out;
  out.json_lines.reserve(count);
  for (size_t n = 0; n < count; ++n) {
    // What this post carries besides everyday chat (percentages of the feed).
    const size_t roll = rng.Below(100);
    std::vector<std::string> special;
    auto add = [&](size_t what) {
      switch (what) {
        case 0:
          special.push_back(
              Format(rng.Pick(kPupilPhrases), reg.pupil_names[rng.Below(reg.pupil_names.size())]));
          break;
        case 1:
          special.push_back(
              Format(rng.Pick(kStaffPhrases), reg.staff_names[rng.Below(reg.staff_names.size())]));
          break;
        case 2:
          special.push_back(rng.Pick(kProfane));
          break;
        case 3:
          special.push_back(rng.Pick(kLinks));
          break;
        default:
          special.push_back(rng.Pick(kContacts));
          break;
      }
    };
    if (roll < 62) {
      // clean
    } else if (roll < 70) {
      add(0);  // names a pupil
    } else if (roll < 73) {
      add(1);  // names a colleague
    } else if (roll < 81) {
      add(2);  // profanity
    } else if (roll < 89) {
      add(3);  // a link
    } else if (roll < 94) {
      add(4);  // an e-mail address, phone number or address
    } else {
      add(rng.Below(5));
      add(rng.Below(5));
    }
    // Special sentences go first so that cutting to length keeps them.
    std::string text;
    for (const auto& sp : special) {
      if (!text.empty()) text.push_back(' ');
      text += sp;
    }
    while (text.size() < text_length + 40) {
      if (!text.empty()) text.push_back(' ');
      text += rng.Pick(kClean);
    }
    // Cut at the last space at or before text_length (all breaks are ASCII
    // spaces, so UTF-8 stays valid).
    size_t cut = text.rfind(' ', text_length);
    if (cut == std::string::npos) cut = text_length;
    text.resize(cut);

    const bool daytime = rng.Below(100) < 30;
    const int day = 2 + static_cast<int>(rng.Below(5));  // 2026-03-02 is a Monday
    const int hour =
        daytime ? 9 + static_cast<int>(rng.Below(6)) : 18 + static_cast<int>(rng.Below(5));
    char at[40];
    std::snprintf(at, sizeof at, "2026-03-%02dT%02d:%02zu:00+00:00", day, hour, rng.Below(60));
    const std::string when = at;

    std::string line = "{\"kind\":";
    line += rng.Below(100) < 90 ? "\"post\"" : "\"comment\"";
    line += ",\"channel\":\"personal\",\"platform\":\"";
    line += rng.Pick(kPlatforms);
    line += "\",\"author\":\"";
    line += reg.staff_ids[rng.Below(reg.staff_ids.size())];
    line += "\",\"at\":\"" + when + "\",\"text\":";
    AppendJsonString(line, text);
    line += "}";
    out.text_bytes += text.size();
    out.bytes += line.size();
    out.json_lines.push_back(std::move(line));
  }
  return out;
}

}  // namespace gh::bench
