// fuzz_csv: arbitrary bytes as register CSV (Registers::FromCsvTexts).
//
// The bytes are pupils.csv; a form feed (\f) starts the next file, in the
// order pupils, staff, parents, relatives, sites, hours. Registers that load
// must answer look-ups for their own rows, and the name index is searched
// with the register's own names.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/registers.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gh;
  static const char* const kFiles[] = {"pupils.csv",    "staff.csv", "parents.csv",
                                       "relatives.csv", "sites.csv", "hours.csv"};
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, std::string>> tables;
  size_t start = 0;
  for (const char* file : kFiles) {
    const size_t ff = input.find('\f', start);
    tables.emplace_back(
        file, std::string(input.substr(start, ff == std::string_view::npos ? ff : ff - start)));
    if (ff == std::string_view::npos) break;
    start = ff + 1;
  }

  const match::Normalizer& n = fuzz::SharedNormalizer();
  auto regs = engine::Registers::FromCsvTexts(tables, n);
  if (!regs.ok()) {
    if (regs.status().message().empty()) fuzz::Broken("a load error has a message", input);
    return 0;
  }
  const engine::Registers& r = *regs;
  for (const auto& p : r.pupils) {
    if (r.FindPupil(p.id) != &p) fuzz::Broken("FindPupil finds every pupil by id", p.id);
  }
  for (const auto& s : r.staff) {
    if (r.FindStaff(s.id) != &s) fuzz::Broken("FindStaff finds every member of staff by id", s.id);
  }
  for (const auto& p : r.parents) {
    if (r.FindParent(p.id) != &p) fuzz::Broken("FindParent finds every parent by id", p.id);
  }
  for (const auto& s : r.sites) (void)r.FindSite(s.domain);
  (void)r.FindSite("m.facebook.com");

  // Search the name index with the register's own names, folded and split
  // into words as the engine does.
  std::string all;
  for (size_t i = 0; i < r.pupils.size() && i < 8; ++i) {
    const auto& p = r.pupils[i];
    (void)r.FindByName(p.first_name + " " + p.last_name, n);
    all += p.first_name + " " + p.preferred_name + " " + p.last_name + " " +
           p.last_name.substr(0, 1) + ". ";
  }
  for (size_t i = 0; i < r.staff.size() && i < 4; ++i) {
    all += r.staff[i].first_name + " " + r.staff[i].last_name + " ";
  }
  const std::string folded = n.Fold(all);
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && folded[i] == ' ') ++i;
    const size_t b = i;
    while (i < folded.size() && folded[i] != ' ') ++i;
    if (i > b) tokens.emplace_back(folded.data() + b, i - b);
  }
  std::vector<engine::Registers::NameHit> hits;
  r.FindNames(tokens, true, hits);
  r.FindNames(tokens, false, hits);
  for (const auto& h : hits) {
    if (h.token + h.length > tokens.size())
      fuzz::Broken("a name hit lies inside the tokens", folded);
  }
  return 0;
}
