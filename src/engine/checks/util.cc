#include "engine/checks/util.h"

#include <algorithm>
#include <cstdio>

namespace gh::engine::checks {

std::vector<Evidence> LexEvidence(const Signals& s, std::span<const uint32_t> categories,
                                  size_t limit) {
  std::vector<Evidence> out;
  for (const auto& h : s.lex) {
    if (std::find(categories.begin(), categories.end(), h.category) == categories.end()) continue;
    if (out.size() >= limit) break;
    out.push_back(s.NormEvidence(h.field, h.from, h.to));
  }
  return out;
}

bool HasAny(const Signals& s, const std::vector<uint32_t>& categories) {
  return std::any_of(s.lex.begin(), s.lex.end(), [&](const LexHit& h) {
    return std::find(categories.begin(), categories.end(), h.category) != categories.end();
  });
}

const Staff* Author(const CheckContext& ctx) {
  if (ctx.event.author.empty()) return nullptr;
  return ctx.registers.FindStaff(ctx.event.author);
}

std::string PupilName(const Pupil& p) {
  return (p.preferred_name.empty() ? p.first_name : p.preferred_name) + " " + p.last_name;
}

std::string PersonName(const Registers& r, PersonRef p) {
  switch (p.kind) {
    case PersonKind::kCurrentPupil:
    case PersonKind::kFormerPupil:
      return PupilName(r.pupils[p.index]);
    case PersonKind::kStaff:
      return r.staff[p.index].first_name + " " + r.staff[p.index].last_name;
    case PersonKind::kParent:
      return r.parents[p.index].first_name + " " + r.parents[p.index].last_name;
  }
  return "";
}

std::string Squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    }
  }
  return out;
}

std::string ImageLabel(size_t index, const Media& m) {
  return "Image " + std::to_string(index + 1) + " (" + (m.path.empty() ? "attached" : m.path) + ")";
}

Evidence FieldEvidence(std::string field, std::string text) {
  Evidence e;
  e.field = std::move(field);
  e.text = std::move(text);
  return e;
}

WorkTime WhereInDay(const CheckContext& ctx, LocalTime* local) {
  if (!ctx.event.at) return WorkTime::kNoTime;
  if (!ctx.registers.has_staff) return WorkTime::kNoStaff;
  const Staff* author = Author(ctx);
  if (author == nullptr) return WorkTime::kUnknownAuthor;
  if (!ctx.registers.has_hours) return WorkTime::kNoHours;
  const LocalTime lt = ctx.pack.zone().Local(ctx.event.at->epoch_seconds);
  const std::vector<uint32_t>& rows = ctx.registers.HoursOf(author->school);
  const bool school_has_hours = !rows.empty();
  bool in_work = false, in_break = false;
  for (const uint32_t row : rows) {
    const HoursPeriod& h = ctx.registers.hours[row];
    if (h.weekday != lt.weekday || lt.minute_of_day < h.start || lt.minute_of_day >= h.end)
      continue;
    (h.is_break ? in_break : in_work) = true;
  }
  if (!school_has_hours) return WorkTime::kNoHours;
  if (local) *local = lt;
  if (in_break) return WorkTime::kBreak;
  return in_work ? WorkTime::kWork : WorkTime::kOutside;
}

std::string DescribeLocal(const LocalTime& t, const Zone& zone) {
  static const char* const kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
  // "Monday 08:05 Europe/London", written without snprintf (a finding of
  // time is common enough for its cost to show).
  std::string out = kDays[t.weekday];
  const int hh = t.minute_of_day / 60 % 100;
  const int mm = t.minute_of_day % 60;
  const char clock[] = {' ', static_cast<char>('0' + hh / 10), static_cast<char>('0' + hh % 10),
                        ':', static_cast<char>('0' + mm / 10), static_cast<char>('0' + mm % 10),
                        ' '};
  out.append(clock, sizeof clock);
  out += zone.name();
  return out;
}

std::string WorkTimeProblem(WorkTime w, const CheckContext& ctx) {
  switch (w) {
    case WorkTime::kNoStaff:
      return "no staff register, so the author's school and hours are unknown";
    case WorkTime::kUnknownAuthor:
      return ctx.event.author.empty()
                 ? "the event names no author"
                 : "author '" + ctx.event.author + "' is not in the staff register";
    case WorkTime::kNoHours:
      return "no working hours (hours.csv) for the author's school";
    default:
      return "";
  }
}

}  // namespace gh::engine::checks
