// lexicon_variants: where the time of the lexicon scan goes (docs/performance.md).
//
//   lexicon_variants [trust]        (default lt2)
//
// Builds a pack's lexicon regexes the way CompiledPack does (EntryToRegex on
// the folded entries, organisation names for "{org}"), compiles them into one
// Hyperscan block-mode database four ways and times a scan of the normalised
// text of 5,000 synthetic 280-character posts (bench/synth.h) with each:
//
//   som+repeat   HS_FLAG_SOM_LEFTMOST, each letter "x+" (what the engine does)
//   repeat       no start-of-match, each letter "x+"
//   som+literal  HS_FLAG_SOM_LEFTMOST, letters as written ("x")
//   literal      neither
//
// The "literal" variants change what matches (a stretched "fuuuck" is then
// missed unless the normaliser squeezes letter runs): they are a measurement
// of cost, not a proposal that keeps behaviour. A diagnostic, not a test.
#include <hs/hs.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/event.h"
#include "match/lexicon.h"
#include "match/normalizer.h"
#include "policy/loader.h"
#include "synth.h"

namespace {

using namespace gh;

// As CompiledPack: plain lower-case ASCII entries are used as written, the
// rest folded.
std::string FoldEntry(const std::string& entry, const match::Normalizer& n) {
  const bool plain = std::all_of(entry.begin(), entry.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z');
  });
  return plain ? entry : n.Fold(entry);
}

// "\bs+h+i+t+\b" -> "\bshit\b": drops a "+" that follows a lower-case letter
// which is not itself an escape ("\s+" stays).
std::string DropLetterRepeats(const std::string& regex) {
  std::string out;
  for (size_t i = 0; i < regex.size(); ++i) {
    const bool letter_before =
        i > 0 && regex[i - 1] >= 'a' && regex[i - 1] <= 'z' && !(i > 1 && regex[i - 2] == '\\');
    if (regex[i] == '+' && letter_before) continue;
    out.push_back(regex[i]);
  }
  return out;
}

int OnMatch(unsigned int, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  ++*static_cast<size_t*>(ctx);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string trust = argc > 1 ? argv[1] : "lt2";
  auto normalizer = match::Normalizer::Create();
  if (!normalizer.ok()) {
    std::fprintf(stderr, "lexicon_variants: %s\n", normalizer.status().message().c_str());
    return 2;
  }
  auto pack = policy::LoadPack(trust, policy::DefaultPoliciesRoot());
  if (!pack.ok()) {
    std::fprintf(stderr, "lexicon_variants: %s\n", pack.status().message().c_str());
    return 2;
  }

  std::vector<std::string> org;
  for (const auto& name : pack->OrgNames()) org.push_back(normalizer->Fold(name));
  std::vector<std::string> regexes;
  for (const auto& lex : pack->lexicons) {
    auto add = [&](const std::vector<std::string>& entries, match::EntryKind kind) {
      for (const auto& e : entries) {
        auto r = match::EntryToRegex(
            kind, kind == match::EntryKind::kPattern ? e : FoldEntry(e, *normalizer), org);
        if (r.ok()) regexes.push_back(*r);
      }
    };
    add(lex.terms, match::EntryKind::kTerm);
    add(lex.phrases, match::EntryKind::kPhrase);
    add(lex.patterns, match::EntryKind::kPattern);
  }

  const auto reg = bench::MakeRegister(2000, {"school"}, 1);
  const auto events = bench::MakeEvents(5000, 280, reg, 42);
  std::vector<std::string> texts;
  engine::EventParser parser;
  match::NormalizedText norm;
  for (const auto& line : events.json_lines) {
    auto ev = parser.Parse(line, "event");
    if (!ev.ok()) continue;
    normalizer->Normalize(ev->text, norm);
    texts.push_back(norm.text);
  }

  std::printf("pack %s: %zu lexicon patterns, %zu texts (mean %zu bytes normalised)\n",
              trust.c_str(), regexes.size(), texts.size(), [&] {
                size_t total = 0;
                for (const auto& t : texts) total += t.size();
                return texts.empty() ? size_t{0} : total / texts.size();
              }());
  std::printf("%-12s %10s %10s %12s %8s\n", "variant", "compile s", "db KiB", "scan us/text",
              "matches");
  struct Variant {
    const char* name;
    unsigned int flags;
    bool literal;
  };
  for (const Variant& v :
       {Variant{"som+repeat", HS_FLAG_SOM_LEFTMOST, false}, Variant{"repeat", 0, false},
        Variant{"som+literal", HS_FLAG_SOM_LEFTMOST, true}, Variant{"literal", 0, true}}) {
    std::vector<std::string> rx;
    for (const auto& r : regexes) rx.push_back(v.literal ? DropLetterRepeats(r) : r);
    std::vector<const char*> expressions;
    std::vector<unsigned int> flags, ids;
    for (size_t i = 0; i < rx.size(); ++i) {
      expressions.push_back(rx[i].c_str());
      flags.push_back(v.flags);
      ids.push_back(static_cast<unsigned int>(i));
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    const auto t0 = std::chrono::steady_clock::now();
    if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                         static_cast<unsigned int>(rx.size()), HS_MODE_BLOCK, nullptr, &db,
                         &err) != HS_SUCCESS) {
      std::printf("%-12s does not compile: %s\n", v.name, err != nullptr ? err->message : "?");
      hs_free_compile_error(err);
      continue;
    }
    const auto t1 = std::chrono::steady_clock::now();
    hs_scratch_t* scratch = nullptr;
    hs_alloc_scratch(db, &scratch);
    size_t matches = 0, bytes = 0;
    hs_database_size(db, &bytes);
    constexpr int kRounds = 3;
    const auto t2 = std::chrono::steady_clock::now();
    for (int round = 0; round < kRounds; ++round) {
      for (const auto& t : texts) {
        hs_scan(db, t.data(), static_cast<unsigned int>(t.size()), 0, scratch, OnMatch, &matches);
      }
    }
    const auto t3 = std::chrono::steady_clock::now();
    std::printf("%-12s %10.2f %10zu %12.1f %8zu\n", v.name,
                std::chrono::duration<double>(t1 - t0).count(), bytes / 1024,
                std::chrono::duration<double, std::micro>(t3 - t2).count() /
                    (kRounds * static_cast<double>(texts.size())),
                matches / kRounds);
    hs_free_scratch(scratch);
    hs_free_database(db);
  }
  return 0;
}
