// check: personal_data — e-mail addresses, phone numbers, postcodes, street
// addresses, dates of birth, NHS and National Insurance numbers, IBANs,
// payment card numbers, UK passport, driving licence and vehicle registration
// numbers (LLMAT-3.1-g, MERCIA-COMP-h, LT2-8-11, LAT-4.2-12, CLT-7.1-1).
// What each type accepts (check digits, official layouts) is in
// engine/pii_formats.h.
#include <algorithm>

#include "base/strings.h"
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {

class PersonalDataCheck final : public Check {
 public:
  PersonalDataCheck(std::vector<PiiType> types, bool exclude_author, bool require_person,
                    std::vector<uint32_t> person_cats, std::vector<std::string> official)
      : types_(std::move(types)),
        exclude_author_(exclude_author),
        require_person_(require_person),
        person_cats_(std::move(person_cats)),
        official_(std::move(official)) {}

  void Run(const CheckContext& ctx) const override {
    const Staff* author = exclude_author_ ? Author(ctx) : nullptr;
    std::vector<Evidence> ev;
    std::vector<std::string> kinds;
    for (const auto& h : ctx.signals.pii) {
      if (std::find(types_.begin(), types_.end(), h.type) == types_.end()) continue;
      const std::string_view value =
          ctx.signals.fields[h.field].original.substr(h.from, h.to - h.from);
      if (h.type == PiiType::kEmail) {
        const std::string v = ToLowerAscii(value);
        // The trust's own addresses are its public contact points, not
        // anyone's personal data.
        if (const size_t at = v.find('@');
            at != std::string::npos && ctx.pack.IsTrustEmailDomain(v.substr(at + 1))) {
          continue;
        }
        if (author && ToLowerAscii(author->email) == v) continue;
      }
      if (IsOfficial(value)) continue;
      ev.push_back(ctx.signals.RawEvidence(h.field, h.from, h.to));
      const std::string k(PiiTypeName(h.type));
      if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
    }
    if (ev.empty()) return;
    if (require_person_ && ctx.signals.people.empty() && !HasAny(ctx.signals, person_cats_)) return;
    std::string list;
    for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + Describe(k);
    ctx.Emit(ctx.rule.message + " (" + list + ")", std::move(ev));
  }

 private:
  static std::string Describe(const std::string& k) {
    if (k == "dob") return "date of birth";
    if (k == "nhs") return "NHS number";
    if (k == "nino") return "National Insurance number";
    if (k == "phone") return "phone number";
    if (k == "email") return "e-mail address";
    if (k == "iban") return "IBAN";
    if (k == "card") return "payment card number";
    if (k == "passport") return "passport number";
    if (k == "driving_licence") return "driving licence number";
    if (k == "vehicle_registration") return "vehicle registration";
    return k;
  }
  // The trust's own public details (official contacts, the registered
  // office text it must publish) are not personal data (LT2-7.1-3, 7.1-4).
  bool IsOfficial(std::string_view value) const {
    const std::string v = Squash(value);
    for (const auto& o : official_) {
      if (!v.empty() && o.find(v) != std::string::npos) return true;
    }
    return false;
  }

  std::vector<PiiType> types_;
  bool exclude_author_, require_person_;
  std::vector<uint32_t> person_cats_;
  std::vector<std::string> official_;  // squashed
};
}  // namespace

Result<std::unique_ptr<Check>> MakePersonalData(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"types", "exclude_author", "require_person"}));
  GH_ASSIGN_OR_RETURN(auto names, b.StringListParam("types"));
  std::vector<PiiType> types;
  if (names.empty()) types.assign(std::begin(kPiiTypes), std::end(kPiiTypes));
  for (const auto& n : names) {
    auto it = std::find_if(std::begin(kPiiTypes), std::end(kPiiTypes),
                           [&](PiiType t) { return PiiTypeName(t) == n; });
    if (it == std::end(kPiiTypes)) {
      std::string known;
      for (PiiType t : kPiiTypes)
        known += (known.empty() ? "" : ", ") + std::string(PiiTypeName(t));
      return b.Error("unknown personal data type '" + n + "' (" + known + ")");
    }
    types.push_back(*it);
  }
  std::vector<uint32_t> person_cats;
  const bool require_person = b.BoolParam("require_person", false);
  if (require_person) {
    for (const char* c : {"role_targets", "children"}) {
      if (auto id = b.Category(c); id.ok()) person_cats.push_back(*id);
    }
  }
  std::vector<std::string> official;
  for (const auto& c : b.pack().organisation.official_contacts) official.push_back(Squash(c));
  for (const auto& t : b.pack().settings.required_profile_texts) {
    if (!t.regex) official.push_back(Squash(t.value));
  }
  return std::unique_ptr<Check>(
      new PersonalDataCheck(std::move(types), b.BoolParam("exclude_author", true), require_person,
                            std::move(person_cats), std::move(official)));
}

}  // namespace gh::engine::checks
