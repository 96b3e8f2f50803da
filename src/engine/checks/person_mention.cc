// check: person_mention — a register person of the listed kinds is named or
// tagged (MERCIA-PROT-2, LT2-7.3-2, LAT-4.2-11 identify children; MERCIA-RSP-2
// and LT2-8.2-2 need written permission to post about a person).
#include <algorithm>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
bool Capitalised(std::string_view w) {
  return w.size() >= 2 && w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'a' && w[1] <= 'z';
}

// Two adjacent capitalised words ("Jo Bloggs") where the first does not
// begin a sentence, in any text field.
bool MayNameSomeone(const CheckContext& ctx) {
  for (uint32_t f = 0; f < ctx.signals.used_fields; ++f) {
    const std::string_view text = ctx.signals.fields[f].original;
    bool prev_capitalised = false, at_sentence_start = true, prev_was_sentence_start = true;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) ++i;
      const size_t start = i;
      while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\t') ++i;
      if (i == start) break;
      std::string_view w = text.substr(start, i - start);
      const char last = w.back();
      while (!w.empty() && (w.back() == ',' || w.back() == '.' || w.back() == '!' ||
                            w.back() == '?' || w.back() == ':')) {
        w.remove_suffix(1);
      }
      const bool cap = Capitalised(w);
      if (cap && prev_capitalised && !prev_was_sentence_start) return true;
      prev_capitalised = cap && last != '.' && last != '!' && last != '?' && last != ',';
      prev_was_sentence_start = at_sentence_start;
      at_sentence_start = last == '.' || last == '!' || last == '?';
    }
  }
  return false;
}

class PersonMentionCheck final : public Check {
 public:
  PersonMentionCheck(std::vector<PersonKind> who, bool exclude_author)
      : who_(std::move(who)), exclude_author_(exclude_author) {}

  void Run(const CheckContext& ctx) const override {
    const Registers& r = ctx.registers;
    const bool wants_pupils = Wants(PersonKind::kCurrentPupil) || Wants(PersonKind::kFormerPupil);
    const bool wants_staff = Wants(PersonKind::kStaff), wants_parents = Wants(PersonKind::kParent);
    if ((wants_pupils && !r.has_pupils) || (wants_staff && !r.has_staff) ||
        (wants_parents && !r.has_parents)) {
      // Without the register nobody can be recognised; say so only when the
      // activity tags people or seems to name someone, so that a draft about
      // the weather is not sent for review.
      if (!ctx.event.tags.empty() || MayNameSomeone(ctx)) {
        std::string missing = wants_pupils && !r.has_pupils ? "pupils"
                              : wants_staff && !r.has_staff ? "staff"
                                                            : "parents";
        ctx.CannotDecide("no " + missing + " register, so named people cannot be recognised");
      }
      return;
    }
    std::vector<Evidence> ev;
    std::vector<std::string> names;
    // People sharing the name written are found at the same words, one after
    // another: their evidence is the same, and Emit would keep only the first.
    const PersonHit* last_in_text = nullptr;
    for (const auto& p : ctx.signals.people) {
      if (!Wants(p.person.kind)) continue;
      if (exclude_author_ && p.person.kind == PersonKind::kStaff &&
          r.staff[p.person.index].id == ctx.event.author)
        continue;
      const std::string name = PersonName(r, p.person);
      if (p.field == UINT32_MAX) {
        ev.push_back(FieldEvidence("tags", name));
      } else if (last_in_text == nullptr || last_in_text->field != p.field ||
                 last_in_text->from != p.from || last_in_text->to != p.to) {
        ev.push_back(ctx.signals.NormEvidence(p.field, p.from, p.to));
        last_in_text = &p;
      }
      const std::string label = name + " (" + std::string(PersonKindName(p.person.kind)) + ")";
      if (std::find(names.begin(), names.end(), label) == names.end()) names.push_back(label);
    }
    if (ev.empty()) return;
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    ctx.Emit(ctx.rule.message + ": " + list + ".", std::move(ev));
  }

 private:
  bool Wants(PersonKind k) const { return std::find(who_.begin(), who_.end(), k) != who_.end(); }
  std::vector<PersonKind> who_;
  bool exclude_author_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakePersonMention(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"who", "exclude_author"}));
  GH_ASSIGN_OR_RETURN(auto names, b.StringListParam("who"));
  if (names.empty())
    return b.Error("param 'who' must list current_pupil, former_pupil, staff or parent");
  std::vector<PersonKind> who;
  for (const auto& n : names) {
    if (n == "current_pupil")
      who.push_back(PersonKind::kCurrentPupil);
    else if (n == "former_pupil")
      who.push_back(PersonKind::kFormerPupil);
    else if (n == "staff")
      who.push_back(PersonKind::kStaff);
    else if (n == "parent")
      who.push_back(PersonKind::kParent);
    else
      return b.Error("unknown person kind '" + n +
                     "' (current_pupil, former_pupil, staff, parent)");
  }
  return std::unique_ptr<Check>(
      new PersonMentionCheck(std::move(who), b.BoolParam("exclude_author", true)));
}

}  // namespace gh::engine::checks
