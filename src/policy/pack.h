// Pack: one trust's social media policy as data (policies/README.md).
//
// A Pack is what the loader builds from policies/<trust>/ and the shared
// policies/common/ folder: metadata, organisation, roles and routes, settings,
// lexicons and rules (common rules already merged with the trust's overrides),
// each rule with its test cases. It holds no compiled matchers; the engine
// compiles a Pack into a CompiledPack. Plain data; immutable once loaded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/time.h"

namespace gh::policy {

enum class Severity { kAdvice, kBreach, kGrossMisconduct, kSafeguarding };
enum class Modality { kMust, kShould };
std::string_view SeverityName(Severity s);
std::string_view ModalityName(Modality m);

// Where something was written, for messages: "policies/lt2/rules/logo-use.yaml:12".
struct SourceLoc {
  std::string file;  // relative to the policies root when possible
  int line = 0;      // 1-based; 0 when unknown
  std::string ToString() const { return line > 0 ? file + ":" + std::to_string(line) : file; }
};

// A test case of a rule (policies/README.md "Cases"). The event and registers
// are kept as JSON / CSV text so the policy layer needs no engine types.
struct Case {
  std::string name;
  bool expect_fire = false;
  std::string verdict;   // "" = not checked
  std::string evidence;  // "" = not checked
  std::string now;       // "" = none
  std::string event_json;
  std::vector<std::pair<std::string, std::string>> registers;  // file name -> CSV text
  SourceLoc loc;
};

struct When {
  std::vector<std::string> channels, kinds, platforms, not_platforms;
};

struct Rule {
  std::string id;
  std::string extends;  // common rule id, "" for a full rule
  std::string title;
  std::string check;  // check type (src/engine/checks/)
  nlohmann::json params = nlohmann::json::object();
  When when;
  std::vector<std::string> clauses;
  Severity severity = Severity::kBreach;
  Modality modality = Modality::kMust;
  bool judgement = false;
  std::vector<std::string> report_to;
  std::string message;
  std::string status = "experimental";
  std::string notes;
  std::vector<Case> cases;
  SourceLoc loc;
};

struct Lexicon {
  std::string category;
  std::string description;
  std::vector<std::string> terms, phrases, patterns;
  std::vector<std::string> match_cases, no_match_cases;
  bool common = false;  // from policies/common/lexicons (shared by every pack)
  SourceLoc loc;
};

struct School {
  std::string id, name;
  std::vector<std::string> aliases;
};

struct RequiredText {
  std::string id;
  bool regex = false;
  std::string value;
};

struct RelativesException {
  bool current = true, former = true;
  std::vector<std::string> relationships;
};

enum class PupilContactRule { kNone, kTrustPupils, kAnySchool };
enum class PupilImageRule { kConsent, kWrittenConsent, kBanned };

struct Settings {
  PupilContactRule pupil_contact_rule = PupilContactRule::kNone;
  std::optional<int> ex_pupil_min_age;
  std::optional<RelativesException> relatives_exception;
  bool parent_contact_banned = false;
  bool allow_breaks = false;
  bool allow_by_agreement = false;
  bool scheduled_posts_count_as_proxy = true;
  PupilImageRule pupil_image_rule = PupilImageRule::kConsent;
  std::string logo_rule = "none";
  std::string employer_mention_rule = "disclaimer";
  std::string mention_report_scope = "none";
  std::vector<RequiredText> required_profile_texts;
};

struct Metadata {
  std::string title, version, approving_body, author, general_breach_clause, notes;
  std::optional<CivilDate> approved_on, effective_from, review_due;
  int review_cycle_months = 0;
  std::optional<int> amend_notice_days;
};

struct Organisation {
  std::string timezone = "Europe/London";
  std::vector<std::string> names;
  std::vector<School> schools;
  std::vector<std::string> brands;
  std::vector<std::string> email_domains;
  std::vector<std::string> logo_sha256;
  // The logos as images, found in photos by feature matching (src/vision).
  struct LogoFile {
    std::string id;
    std::string path;  // resolved: the pack folder + the file named in pack.yaml
    SourceLoc loc;
  };
  std::vector<LogoFile> logos;
  // The trust's public contact details (office e-mails, phone numbers, the
  // registered address): never anyone's personal data.
  std::vector<std::string> official_contacts;
};

struct Role {
  std::string id, title;
};

struct EscalationStep {
  std::string subject_role;  // "*" = anyone else
  std::vector<std::string> route_to;
};

struct Pack {
  std::string id, name, clause_prefix;
  std::string dir;   // the pack folder
  std::string root;  // the policies folder (common/ lives here)
  Metadata metadata;
  Organisation organisation;
  std::vector<Role> roles;
  std::map<std::string, std::vector<std::string>> routes;
  std::vector<EscalationStep> escalation;
  Settings settings;
  std::vector<Lexicon> lexicons;                      // common ones first, then the trust's own
  std::vector<Rule> rules;                            // effective rules, sorted by id
  std::map<std::string, std::string> left_to_people;  // clause id -> reason

  // Every name the organisation goes by: trust names, school names and
  // aliases, brands.
  std::vector<std::string> OrgNames() const;
  bool HasRole(const std::string& id) const;
};

}  // namespace gh::policy
