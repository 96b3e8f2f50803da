#include "match/normalizer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/utf8.h"

namespace gh::match {
namespace {

// "3_edge_1_confusables": readable, unique parameterised test names.
template <typename T>
std::string CaseName(const testing::TestParamInfo<T>& info) {
  std::string s = std::to_string(info.index) + "_";
  for (char c : std::string(info.param.name)) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    s += alnum ? c : '_';
  }
  return s;
}

const Normalizer& N() {
  static const Normalizer* n = [] {
    auto r = Normalizer::Create();
    EXPECT_TRUE(r.ok()) << r.status().message();
    return new Normalizer(std::move(*r));
  }();
  return *n;
}

// The original text of code points [start, end).
std::string OriginalSlice(std::string_view s, uint32_t start, uint32_t end) {
  size_t i = 0;
  uint32_t cp = 0;
  size_t from = s.size();
  size_t to = s.size();
  while (i < s.size()) {
    if (cp == start) from = i;
    if (cp == end) {
      to = i;
      break;
    }
    utf8::Next(s, i);
    ++cp;
  }
  if (cp == start) from = i;
  return std::string(s.substr(from, to - from));
}

TEST(NormalizerTest, CreateIsFast) {
  const auto t0 = std::chrono::steady_clock::now();
  auto n = Normalizer::Create();
  const auto t1 = std::chrono::steady_clock::now();
  ASSERT_TRUE(n.ok()) << n.status().message();
  const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  RecordProperty("create_ms", std::to_string(ms));
  std::printf("Normalizer::Create() took %.2f ms\n", ms);
  EXPECT_LT(ms, 100.0);
}

struct FoldCase {
  const char* name;
  const char* in;
  const char* out;
};

class FoldTest : public testing::TestWithParam<FoldCase> {};

TEST_P(FoldTest, Folds) {
  const FoldCase& c = GetParam();
  EXPECT_EQ(N().Fold(c.in), c.out) << c.name << ": " << c.in;
}

// Steps 1-3: Unicode folding (UAX #15 NFKC_Casefold, marks, UTS #39).
INSTANTIATE_TEST_SUITE_P(
    Unicode, FoldTest,
    testing::Values(
        FoldCase{"ascii case", "Hello WORLD", "hello world"},
        FoldCase{"fullwidth", "ｆｕｃｋ", "fuck"},
        FoldCase{"fullwidth name", "Ｈａｒｖｅｙ ＷＡＩＮＷＲＩＧＨＴ", "harvey wainwright"},
        FoldCase{"sharp s", "Straße", "strasse"}, FoldCase{"capital sharp s", "STRAẞE", "strasse"},
        FoldCase{"ligature", "ﬁne", "fine"}, FoldCase{"roman numeral", "Ⅻ", "xii"},
        FoldCase{"accents", "naïve café fück", "naive cafe fuck"},
        FoldCase{"combining marks", "fu\u0308ck", "fuck"},
        FoldCase{"zalgo", "f\u0336\u0337u\u0334\u0335ck", "fuck"},
        FoldCase{"edge-1 confusables", "ʃṳ𝒸𝗄", "fuck"}, FoldCase{"math bold", "𝐟𝐮𝐜𝐤", "fuck"},
        FoldCase{"math script", "𝓯𝓾𝓬𝓴", "fuck"}, FoldCase{"circled", "Ⓕⓤⓒⓚ", "fuck"},
        FoldCase{"squared", "🄵🅄🄲🄺", "fuck"}, FoldCase{"negative squared", "🅵🆄🅲🅺", "fuck"},
        FoldCase{"small capitals", "ꜰᴀᴄᴇ ʏᴏᴜʀ ʙᴏɪ", "face your boi"},
        FoldCase{"cyrillic confusables", "pаypаl", "paypal"},
        FoldCase{"greek confusables", "ρορ", "pop"},
        FoldCase{"default ignorables", "f\u200Bu\u00ADc\u200Dk", "fuck"},
        FoldCase{"unicode spaces", "one\u00A0two\u2003three\u3000four\u2028five",
                 "one two three four five"},
        FoldCase{"curly apostrophe", "it’s", "it's"}, FoldCase{"emoji kept", "😀fuck😀", "😀fuck😀"},
        FoldCase{"cjk kept", "日本語", "日本語"}, FoldCase{"pound sign kept", "£4.50", "£4.50"},
        FoldCase{"invalid utf-8", "a\xFFz", "a\xEF\xBF\xBDz"}),
    CaseName<FoldCase>);

// Step 4: leetspeak inside words; numbers, ids, e-mails, URLs, handles alone.
INSTANTIATE_TEST_SUITE_P(
    Leetspeak, FoldTest,
    testing::Values(
        FoldCase{"digit inside", "sh1t", "shit"}, FoldCase{"bang inside", "b!tch", "bitch"},
        FoldCase{"dollars at end", "a$$", "ass"}, FoldCase{"dollar at start", "$hit", "shit"},
        FoldCase{"at sign before ss", "@ss", "ass"}, FoldCase{"at sign before rse", "@rse", "arse"},
        FoldCase{"at sign inside", "b@stard", "bastard"},
        FoldCase{"dollars inside", "cla$$ic", "classic"}, FoldCase{"several", "a55h0le", "asshole"},
        FoldCase{"two digits", "l33t n00b", "leet noob"}, FoldCase{"asterisk kept", "f*ck", "f*ck"},
        FoldCase{"time", "10:15", "10:15"}, FoldCase{"price", "£4.50 $5 5$", "£4.50 $5 5$"},
        FoldCase{"year", "2026", "2026"}, FoldCase{"id", "P0042", "p0042"},
        FoldCase{"year group", "Y6", "y6"}, FoldCase{"ordinals", "1st 4th 3rd", "1st 4th 3rd"},
        FoldCase{"units", "10am 5km", "10am 5km"}, FoldCase{"road", "A55", "a55"},
        FoldCase{"non-leet digit", "b2b h2o", "b2b h2o"},
        FoldCase{"more digits than letters", "a1b2c3", "a1b2c3"},
        FoldCase{"long digit run", "ab1234cd", "ab1234cd"},
        FoldCase{"word then number", "covid19", "covid 19"},
        FoldCase{"edge-32 digit suffix", "motherfucker1", "motherfucker 1"},
        FoldCase{"edge-33 digit affixes", "123motherfucker123", "123 motherfucker 123"},
        FoldCase{"email", "Jo.Smith1@example.com", "jo.smith1@example.com"},
        FoldCase{"handle", "@jo_smith1", "@jo_smith1"}, FoldCase{"handle dick", "@dick:", "@dick:"},
        FoldCase{"handle of initials", "RT @DJZeeti: hi", "rt @djzeeti: hi"},
        FoldCase{"handle after underscore", "(@_cblaze)", "(@_cblaze)"},
        FoldCase{"at sign and dollars", "@$$hole", "asshole"},
        FoldCase{"handle with underscore", "@SS_Rajamouli", "@ss_rajamouli"},
        FoldCase{"handle with digits", "@ss123", "@ss123"},
        FoldCase{"sentence after bang", "a player!He stands", "a player!he stands"},
        FoldCase{"bangs are punctuation", "so nice!!!cant", "so nice!!!cant"},
        FoldCase{"camel case hashtag", "#StandUp4Brexit", "#standup 4 brexit"},
        FoldCase{"capitals leet", "SH1T B!TCH", "shit bitch"},
        FoldCase{"url", "https://www.Sh1t.com/a_b?x=1", "https://www.sh1t.com/a_b?x=1"},
        FoldCase{"www", "www.b00k.co.uk", "www.b00k.co.uk"},
        FoldCase{"punctuation at ends", "wow!!! hello! c++ a+", "wow!!! hello! c++ a+"},
        FoldCase{"sums", "1+1=2", "1+1=2"},
        FoldCase{"underscore separates", "snake_case", "snake case"},
        FoldCase{"edge-31 symbols", "!@£$*&^&$%^$£%£$@£$£@$£$%%^", "!@£$*&^&$%^$£%£$@£$£@$£$%%^"}),
    CaseName<FoldCase>);

// Steps 5-7: spaced letters, stretched letters, repeats, white space.
INSTANTIATE_TEST_SUITE_P(
    Joining, FoldTest,
    testing::Values(FoldCase{"spaces", "f u c k off", "fuck off"},
                    FoldCase{"dots", "f.u.c.k.", "fuck."}, FoldCase{"hyphens", "f-u-c-k", "fuck"},
                    FoldCase{"underscores", "f_u_c_k", "fuck"},
                    FoldCase{"dot space", "f. u. c. k.", "fuck."},
                    FoldCase{"leet inside", "s h 1 t", "shit"},
                    FoldCase{"middle dots", "f·u·c·k", "fuck"},
                    FoldCase{"two letters stay", "e.g. a.m.", "e.g. a.m."},
                    FoldCase{"abbreviation", "The U.S.A. team", "the usa. team"},
                    FoldCase{"mixed separators stay", "a b.c", "a b.c"},
                    FoldCase{"letter after apostrophe", "don't b a fool", "don't b a fool"},
                    FoldCase{"digits stay", "1 2 3 4", "1 2 3 4"},
                    FoldCase{"pen is stays", "the pen is", "the pen is"},
                    FoldCase{"edge-6 stretched", "fu.....uuuuCK the pen", "fuuck the pen"},
                    FoldCase{"single hyphen stays", "well-lit part-time", "well-lit part-time"},
                    FoldCase{"ellipsis stays", "so...anyway", "so...anyway"},
                    FoldCase{"ellipsis between same letters", "shit...then", "shit...then"},
                    FoldCase{"edge-0 repeats", "fuuuuuuuckkk", "fuuckk"},
                    FoldCase{"two stay", "shiitake", "shiitake"}, FoldCase{"edge-37", "aaa", "aa"},
                    FoldCase{"digits not cut", "10000", "10000"},
                    FoldCase{"whitespace", "  a \t\n b\r\n\r\nc  ", "a b c"},
                    FoldCase{"empty", "", ""}, FoldCase{"only spaces", " \t ", ""}),
    CaseName<FoldCase>);

struct RangeCase {
  const char* name;
  const char* in;
  const char* out;  // expected normalised text
  std::vector<uint32_t> origin;
};

class OriginTest : public testing::TestWithParam<RangeCase> {};

TEST_P(OriginTest, MapsEveryByte) {
  const RangeCase& c = GetParam();
  NormalizedText t;
  N().Normalize(c.in, t);
  EXPECT_EQ(t.text, c.out) << c.name;
  EXPECT_EQ(t.origin, c.origin) << c.name;
  EXPECT_EQ(t.original_length, utf8::CodePointCount(c.in)) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Origins, OriginTest,
    testing::Values(RangeCase{"ascii", "Hi!", "hi!", {0, 1, 2}},
                    RangeCase{"astral and combining", "ʃṳ𝒸𝗄", "fuck", {0, 1, 2, 3}},
                    RangeCase{"decomposed mark skipped", "fu\u0324ck", "fuck", {0, 1, 3, 4}},
                    RangeCase{"fullwidth", "ｆｕｃｋ", "fuck", {0, 1, 2, 3}},
                    RangeCase{"one to two", "Straße", "strasse", {0, 1, 2, 3, 4, 4, 5}},
                    RangeCase{"multi-byte output", "£5", "£5", {0, 0, 1}},
                    RangeCase{"emoji", "😀a", "😀a", {0, 0, 0, 0, 1}},
                    RangeCase{"collapsed spaces", "  a   b ", "a b", {2, 3, 6}},
                    RangeCase{"cut repeats", "fuuuck", "fuuck", {0, 1, 2, 4, 5}},
                    RangeCase{"joined letters", "f u c k", "fuck", {0, 2, 4, 6}},
                    RangeCase{"split digits", "twat3", "twat 3", {0, 1, 2, 3, 4, 4}}),
    CaseName<RangeCase>);

TEST(NormalizerTest, OriginalRangeCoversTheMatch) {
  struct Case {
    const char* in;
    const char* word;      // in the normalised text
    const char* original;  // the original code points it maps back to
  };
  const Case cases[] = {
      {"what a load of $h1t!", "shit", "$h1t"}, {"ʃṳ𝒸𝗄 off", "fuck", "ʃṳ𝒸𝗄"},
      {"Ok ｆｕｃｋ ok", "fuck", "ｆｕｃｋ"},   {"Straßenbahn", "strasse", "Straße"},
      {"fu\u0324ck you", "fuck", "fu\u0324ck"}, {"you f . u . c . k", "fuck", "f . u . c . k"},
      {"fuuuuuuck!", "fuuck", "fuuuuuuck"},     {"I said 𝓯𝓾𝓬𝓴 twice", "fuck", "𝓯𝓾𝓬𝓴"},
  };
  for (const Case& c : cases) {
    NormalizedText t;
    N().Normalize(c.in, t);
    const size_t at = t.text.find(c.word);
    ASSERT_NE(at, std::string::npos) << c.in << " -> " << t.text;
    auto [start, end] = t.OriginalRange(at, at + std::string_view(c.word).size());
    EXPECT_EQ(OriginalSlice(c.in, start, end), c.original) << c.in;
  }
}

TEST(NormalizerTest, OriginalRangeOfEmptyOrOutOfRangeSpanIsEmpty) {
  NormalizedText t;
  N().Normalize("abc", t);
  EXPECT_EQ(t.OriginalRange(1, 1), (std::pair<uint32_t, uint32_t>{1, 1}));
  EXPECT_EQ(t.OriginalRange(0, 99), (std::pair<uint32_t, uint32_t>{0, 3}));
  NormalizedText empty;
  EXPECT_EQ(empty.OriginalRange(0, 1), (std::pair<uint32_t, uint32_t>{0, 0}));
}

TEST(NormalizerTest, ReusesBuffers) {
  NormalizedText t;
  const std::string text(4000, 'a');
  N().Normalize(text + " sh1t " + text, t);
  const char* data = t.text.data();
  const uint32_t* origin = t.origin.data();
  N().Normalize(text + " b!tch " + text, t);
  EXPECT_EQ(t.text.data(), data);
  EXPECT_EQ(t.origin.data(), origin);
}

// Register names and lexicon entries are folded once and matched against
// folded text, so ordinary text must be a fixed point. (Not guaranteed for
// case tricks such as "player!He": the capital that blocks leetspeak is gone
// after one fold.)
TEST(NormalizerTest, IsIdempotentOnItsOutput) {
  for (const char* s :
       {"Y6 trip at 10:15, £4.50, covid19", "ʃṳ𝒸𝗄 f u c k a$$", "Straße ｆｕｃｋ"}) {
    const std::string once = N().Fold(s);
    EXPECT_EQ(N().Fold(once), once) << s;
  }
}

// The shortcut for ASCII tokens (fold_rules.h, ApplyContextRulesFast) with the
// real per-code-point tables: the same text, origins and length as building
// every unit, on random text mixing ASCII, the evasions and characters from
// every part of the tables (and from outside them).
TEST(NormalizerTest, FastPathWritesWhatTheUnitsPathWrites) {
  const std::vector<std::string> pieces = {"a",
                                           "b",
                                           "I",
                                           "u",
                                           "w",
                                           "Www.",
                                           "sh1t",
                                           "a$$",
                                           "@ss",
                                           "@jo_b",
                                           "x@y.co",
                                           "http://a.b/c",
                                           "10:15",
                                           "covid19",
                                           "1",
                                           "4",
                                           "9",
                                           "!",
                                           "$",
                                           "@",
                                           "+",
                                           "|",
                                           "'",
                                           "_",
                                           ".",
                                           "..",
                                           "-",
                                           "*",
                                           "~",
                                           "/",
                                           "#",
                                           "(",
                                           "\"",
                                           " ",
                                           "  ",
                                           "\t",
                                           "\n",
                                           "fuuuck",
                                           "f u c k",
                                           "f.u.c.k",
                                           "\u00E9",
                                           "caf\u00E9",
                                           "na\u00EFve",
                                           "Stra\u00DFe",
                                           "\u00A3",
                                           "\u00A34.50",
                                           "\u20AC",
                                           "\u00A0",
                                           "\u2003",
                                           "\u3000",
                                           "\u200B",
                                           "\u00AD",
                                           "\u0301",
                                           "f\u0324",
                                           "\uFB01",
                                           "\u00BD",
                                           "\u00A8",
                                           "\u2474",
                                           "\u33C2",
                                           "\uFF46\uFF55",
                                           "\uFF0E",
                                           "\u00B7",
                                           "\u2022",
                                           "\u2019",
                                           "\u2010",
                                           "\u0430",
                                           "\u0441\u0443\u043A\u0430",
                                           "\u1D00",
                                           "\U0001D4B8",
                                           "\U0001F389",
                                           "\U0001F600",
                                           "\u4E2D\u6587",
                                           "\u0436",
                                           "\u0131",
                                           "\xFF",
                                           "\xC3",
                                           "\xE2\x82",
                                           "\xED\xA0\x80"};
  std::mt19937 rng(20261125);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(0, 30);
  NormalizedText fast;
  NormalizedText units;
  for (int round = 0; round < 30000; ++round) {
    std::string s;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) s += pieces[pick(rng)];
    N().Normalize(s, fast, true);
    N().Normalize(s, units, false);
    ASSERT_EQ(fast.text, units.text) << "\"" << s << "\"";
    ASSERT_EQ(fast.origin, units.origin) << "\"" << s << "\"";
    ASSERT_EQ(fast.original_length, units.original_length) << "\"" << s << "\"";
  }
}

TEST(NormalizerTest, ThreadsShareOneNormalizer) {
  const std::vector<std::string> inputs = {"ʃṳ𝒸𝗄 sh1t", "Straße f.u.c.k", "a$$ @ss covid19",
                                           "ｆｕｃｋ 10:15"};
  std::vector<std::string> expected;
  for (const auto& s : inputs) expected.push_back(N().Fold(s));
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      NormalizedText t;
      for (int round = 0; round < 200; ++round) {
        for (size_t i = 0; i < inputs.size(); ++i) {
          N().Normalize(inputs[i], t);
          if (t.text != expected[i]) ++failures[static_cast<size_t>(k)];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace gh::match
