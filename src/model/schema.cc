#include "model/schema.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "base/time.h"
#include "base/utf8.h"

// The table below leaves trailing Field members at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace gh::model {

namespace {

using T = FieldType;

std::vector<Kind> BuildKinds() {
  std::vector<Kind> k;
  k.push_back({"schools",
               "Schools",
               {{"id", T::kId, true, {}, "", "short id used by every register"},
                {"name", T::kText, true},
                {"aliases", T::kText, false, {}, "", "other names, separated by ';'"}},
               {"id"},
               "id",
               "public",
               false});
  k.push_back({"staff",
               "Staff",
               {{"id", T::kId, true},
                {"first_name", T::kText, true},
                {"last_name", T::kText, true},
                {"email", T::kEmail},
                {"role", T::kId, false, {}, "", "a role of the trust's policy pack"},
                {"school", T::kId, false, {}, "schools"},
                {"spokesperson", T::kYesNo},
                {"line_manager", T::kId, false, {}, "staff", "the staff id of the line manager"}},
               {"id"},
               "school",
               "staff",
               true});
  k.push_back({"pupils",
               "Pupils",
               {{"id", T::kId, true},
                {"first_name", T::kText, true},
                {"last_name", T::kText, true},
                {"preferred_name", T::kText},
                {"date_of_birth", T::kDate},
                {"school", T::kId, true, {}, "schools"},
                {"status", T::kEnum, false, {"current", "former"}},
                {"left_on", T::kDate},
                {"photo_consent", T::kYesNo},
                {"social_media_consent", T::kYesNo}},
               {"id"},
               "school",
               "pupil",
               true});
  k.push_back({"parents",
               "Parents and carers",
               {{"id", T::kId, true},
                {"first_name", T::kText, true},
                {"last_name", T::kText, true},
                {"pupil_id", T::kId, true, {}, "pupils"},
                {"email", T::kEmail},
                {"phone", T::kText}},
               {"id"},
               "pupil_id",
               "pupil",
               true});
  k.push_back({"relatives",
               "Staff relatives who are pupils",
               {{"staff_id", T::kId, true, {}, "staff"},
                {"pupil_id", T::kId, true, {}, "pupils"},
                {"relationship", T::kText, true}},
               {"staff_id", "pupil_id"},
               "pupil_id",
               "pupil",
               true});
  k.push_back({"consents",
               "Consents",
               {{"pupil_id", T::kId, true, {}, "pupils"},
                {"purpose",
                 T::kEnum,
                 true,
                 {"photo", "video", "name", "social_media", "website", "press", "other"}},
                {"channel", T::kText, false, {}, "", "a platform or account, or empty for all"},
                {"status", T::kEnum, true, {"granted", "withdrawn"}},
                {"on", T::kDate, true, {}, "", "when it was granted or withdrawn"},
                {"evidence", T::kText, false, {}, "", "where the signed form is kept"},
                {"recorded_by", T::kId, false, {}, "staff"}},
               {"pupil_id", "purpose", "channel", "on"},  // history: one row per change
               "pupil_id",
               "pupil",
               false});
  k.push_back(
      {"sites",
       "Approved sites",
       {{"domain", T::kDomain, true},
        {"status", T::kEnum, true, {"approved", "not_approved"}},
        {"purpose", T::kText},
        {"checklist", T::kText, false, {}, "", "due-diligence items checked, separated by ';'"},
        {"checked_by", T::kId, false, {}, "staff"},
        {"checked_on", T::kDate},
        {"next_review", T::kDate},
        {"school", T::kId, false, {}, "schools", "empty for the whole trust"}},
       {"domain"},
       "school",
       "public",
       true});
  k.push_back({"hours",
               "Working hours",
               {{"school", T::kId, true, {}, "schools"},
                {"day", T::kEnum, true, {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}},
                {"start", T::kClock, true},
                {"end", T::kClock, true},
                {"kind", T::kEnum, true, {"work", "break"}}},
               {"school", "day", "start", "kind"},
               "school",
               "public",
               true});
  k.push_back({"accounts",
               "Official accounts",
               {{"id", T::kId, true},
                {"platform", T::kText, true},
                {"url", T::kUrl, true},
                {"school", T::kId, false, {}, "schools", "empty for a trust account"},
                {"owner", T::kId, false, {}, "staff"},
                {"moderator", T::kId, false, {}, "staff"},
                {"publisher", T::kId, false, {}, "staff"},
                {"email", T::kEmail, false, {}, "", "the official email the account uses"},
                {"profile_texts_checked", T::kYesNo},
                {"checked_on", T::kDate},
                {"status", T::kEnum, false, {"active", "suspended", "closed"}}},
               {"id"},
               "school",
               "public",
               false});
  k.push_back({"spokespeople",
               "Authorised spokespeople",
               {{"staff_id", T::kId, true, {}, "staff"},
                {"authorised_by", T::kId, true, {}, "staff"},
                {"scope", T::kText},
                {"trained_on", T::kDate},
                {"expires_on", T::kDate}},
               {"staff_id"},
               "staff_id",
               "staff",
               false});
  k.push_back({"training",
               "Training records",
               {{"staff_id", T::kId, true, {}, "staff"},
                {"course",
                 T::kEnum,
                 true,
                 {"spokesperson", "investigator", "safeguarding", "dsl", "policy", "other"}},
                {"completed_on", T::kDate, true},
                {"expires_on", T::kDate},
                {"provider", T::kText}},
               {"staff_id", "course", "completed_on"},
               "staff_id",
               "staff",
               false});
  k.push_back({"devices",
               "Approved photo devices",
               {{"id", T::kId, true},
                {"description", T::kText, true},
                {"school", T::kId, false, {}, "schools"},
                {"serial", T::kText},
                {"holder", T::kId, false, {}, "staff"},
                {"approved_by", T::kId, false, {}, "staff"},
                {"approved_on", T::kDate},
                {"status", T::kEnum, false, {"approved", "withdrawn"}}},
               {"id"},
               "school",
               "public",
               false});
  k.push_back({"permissions",
               "Written permissions",
               {{"id", T::kId, true},
                {"kind", T::kId, true, {}, "", "what is permitted, e.g. personal_device"},
                {"subject", T::kId, true, {}, "", "the staff or pupil id it is about"},
                {"grantor", T::kId, true, {}, "staff"},
                {"scope", T::kText},
                {"granted_on", T::kDate, true},
                {"expires_on", T::kDate},
                {"school", T::kId, false, {}, "schools"},
                {"status", T::kEnum, false, {"active", "revoked"}}},
               {"id"},
               "school",
               "staff",
               false});
  return k;
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

std::string NormaliseDomain(std::string_view v) {
  std::string d = ToLowerAscii(Trim(v));
  for (std::string_view scheme : {"https://", "http://"}) {
    if (StartsWith(d, scheme)) d.erase(0, scheme.size());
  }
  if (const size_t slash = d.find('/'); slash != std::string::npos) d.resize(slash);
  if (StartsWith(d, "www.")) d.erase(0, 4);
  while (!d.empty() && d.back() == '.') d.pop_back();
  return d;
}

std::string CheckValue(const Field& f, std::string& v, const std::vector<std::string>& roles) {
  if (!utf8::IsValid(v)) return "is not valid UTF-8";
  if (v.find_first_of("\r\n") != std::string::npos) return "must be on one line";
  if (v.size() > 2000) return "is longer than 2000 bytes";
  switch (f.type) {
    case T::kText:
      return "";
    case T::kId:
      for (char c : v) {
        if (!IsIdChar(c)) return "'" + v + "' is not an id (letters, digits, '-', '_', '.')";
      }
      if (v.size() > 100) return "is longer than 100 characters";
      if (f.name == "role" && !roles.empty()) {
        for (const auto& r : roles) {
          if (r == v) return "";
        }
        return "'" + v + "' is not a role of this trust's policy (" + Join(roles, ", ") + ")";
      }
      return "";
    case T::kDate:
      if (auto d = ParseDate(v); !d.ok()) return "'" + v + "' is not a date (YYYY-MM-DD)";
      return "";
    case T::kClock:
      if (auto c = ParseClock(v); !c.ok()) return "'" + v + "' is not a time (HH:MM)";
      return "";
    case T::kEnum: {
      const std::string lower = ToLowerAscii(v);
      for (auto allowed : f.values) {
        if (lower == allowed) {
          v = lower;
          return "";
        }
      }
      return "'" + v + "' is not one of " + Join(f.values, ", ");
    }
    case T::kYesNo: {
      const std::string lower = ToLowerAscii(v);
      if (lower == "yes" || lower == "y" || lower == "true" || lower == "1") {
        v = "yes";
      } else if (lower == "no" || lower == "n" || lower == "false" || lower == "0") {
        v = "no";
      } else {
        return "'" + v + "' is not yes or no";
      }
      return "";
    }
    case T::kEmail: {
      const size_t at = v.find('@');
      if (at == std::string::npos || at == 0 || at + 1 >= v.size() ||
          v.find('@', at + 1) != std::string::npos || v.find(' ') != std::string::npos ||
          v.find('.', at) == std::string::npos) {
        return "'" + v + "' is not an email address";
      }
      return "";
    }
    case T::kDomain: {
      v = NormaliseDomain(v);
      if (v.empty() || v.find('.') == std::string::npos) return "is not a domain name";
      for (char c : v) {
        if (!IsIdChar(c)) return "'" + v + "' is not a domain name";
      }
      return "";
    }
    case T::kUrl:
      if (!StartsWith(v, "https://") && !StartsWith(v, "http://")) {
        return "'" + v + "' is not an http(s) URL";
      }
      if (v.find(' ') != std::string::npos) return "must not contain spaces";
      return "";
  }
  return "";
}

}  // namespace

const std::vector<Kind>& Kinds() {
  static const std::vector<Kind> kinds = BuildKinds();
  return kinds;
}

const Kind* FindKind(std::string_view name) {
  for (const Kind& k : Kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string KindNames() {
  std::vector<std::string_view> names;
  for (const Kind& k : Kinds()) names.push_back(k.name);
  return Join(names, ", ");
}

std::vector<FieldError> NormaliseRow(const Kind& kind, Row& row,
                                     const std::vector<std::string>& roles) {
  std::vector<FieldError> errors;
  Row clean;
  for (const Field& f : kind.fields) {
    auto it = row.find(std::string(f.name));
    std::string v = it == row.end() ? std::string() : std::string(Trim(it->second));
    if (v.empty()) {
      if (f.required) errors.push_back({std::string(f.name), "is required"});
      clean[std::string(f.name)] = "";
      continue;
    }
    if (std::string msg = CheckValue(f, v, roles); !msg.empty()) {
      errors.push_back({std::string(f.name), msg});
    }
    clean[std::string(f.name)] = v;
  }
  if (errors.empty()) {
    // Cross-field rules.
    if (kind.name == "pupils" && clean["status"].empty()) clean["status"] = "current";
    if (kind.name == "pupils" && clean["status"] == "former" && clean["left_on"].empty()) {
      // Allowed: a leaving date may be unknown; rules then treat age alone.
    }
    if (kind.name == "hours") {
      auto s = ParseClock(clean["start"]);
      auto e = ParseClock(clean["end"]);
      if (s.ok() && e.ok() && *e <= *s) errors.push_back({"end", "must be after start"});
    }
    for (const auto& [from, to] :
         {std::pair<std::string_view, std::string_view>{"checked_on", "next_review"},
          {"granted_on", "expires_on"},
          {"trained_on", "expires_on"}}) {
      auto a = clean.find(std::string(from));
      auto b = clean.find(std::string(to));
      if (a != clean.end() && b != clean.end() && !a->second.empty() && !b->second.empty() &&
          b->second < a->second) {
        errors.push_back({std::string(to), "is before " + std::string(from)});
      }
    }
  }
  row = std::move(clean);
  return errors;
}

std::string RowId(const Kind& kind, const Row& row) {
  std::string id;
  for (size_t i = 0; i < kind.key.size(); ++i) {
    if (i) id += '|';
    auto it = row.find(std::string(kind.key[i]));
    if (it != row.end()) id += it->second;
  }
  return id;
}

std::string RowToJson(const Row& row) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : row) j[k] = v;
  return j.dump();
}

Result<Row> RowFromJson(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::Internal("stored record is not a JSON object");
  Row row;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) row[it.key()] = it.value().get<std::string>();
  }
  return row;
}

}  // namespace gh::model
