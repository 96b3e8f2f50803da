// Helpers shared by several checks.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "engine/check.h"
#include "engine/compiled_pack.h"

namespace gh::engine::checks {

// Evidence for every lexicon hit of the given categories (at most `limit`).
std::vector<Evidence> LexEvidence(const Signals& s, std::span<const uint32_t> categories,
                                  size_t limit = 12);
// The same for one category (no list to build for each event).
inline std::vector<Evidence> LexEvidence(const Signals& s, const uint32_t& category,
                                         size_t limit = 12) {
  return LexEvidence(s, std::span<const uint32_t>(&category, 1), limit);
}
bool HasAny(const Signals& s, const std::vector<uint32_t>& categories);

// The author's row in staff.csv, or nullptr.
const Staff* Author(const CheckContext& ctx);

std::string PersonName(const Registers& r, PersonRef p);
std::string PupilName(const Pupil& p);

// Where the event's `at` falls in the author's school day.
enum class WorkTime {
  kOutside,        // not in working time
  kWork,           // in a work period
  kBreak,          // in a designated break
  kNoTime,         // the event has no `at`
  kNoStaff,        // staff register missing
  kUnknownAuthor,  // author absent from staff.csv
  kNoHours,        // hours register missing or no hours for the school
};
// `local` (optional) receives the local time when one was computed.
WorkTime WhereInDay(const CheckContext& ctx, LocalTime* local);
// "Thursday 11:00 Europe/London", for messages.
std::string DescribeLocal(const LocalTime& t, const Zone& zone);
// The message for the "cannot decide" states above.
std::string WorkTimeProblem(WorkTime w, const CheckContext& ctx);

// Lower-case ASCII letters and digits only, so "CV22 5PE" equals "cv225pe" and
// "Learning Today, Leading Tomorrow" equals "learning today leading tomorrow".
std::string Squash(std::string_view s);

// "Image 2 (photos/day.jpg)": how a finding names media[index].
std::string ImageLabel(size_t index, const Media& m);

// Evidence pointing at a structured field rather than the text.
Evidence FieldEvidence(std::string field, std::string text);

}  // namespace gh::engine::checks
