#include "engine/checks/contact.h"

#include "base/strings.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {

CounterpartInfo ResolveCounterpart(const CheckContext& ctx) {
  CounterpartInfo info;
  if (!ctx.event.counterpart) return info;
  const Counterpart& c = *ctx.event.counterpart;
  const Registers& r = ctx.registers;
  const std::string role = ToLowerAscii(c.role);
  info.said_pupil = role == "pupil" || role == "current_pupil" || role == "student";
  info.said_former = role == "former_pupil" || role == "ex_pupil" || role == "past_pupil";
  info.said_parent = role == "parent" || role == "carer" || role == "guardian";
  info.display = c.name;
  if (!c.pupil_id.empty()) info.pupil = r.FindPupil(c.pupil_id);
  // Without an id, a name (and date of birth where given) identifies a pupil
  // only when exactly one register entry fits.
  if (info.pupil == nullptr && !c.name.empty() && r.has_pupils) {
    const Pupil* found = nullptr;
    int count = 0;
    for (const auto& ref : r.FindByName(c.name, ctx.normalizer)) {
      if (ref.kind != PersonKind::kCurrentPupil && ref.kind != PersonKind::kFormerPupil) continue;
      const Pupil& p = r.pupils[ref.index];
      if (c.date_of_birth && p.date_of_birth && *c.date_of_birth != *p.date_of_birth) continue;
      found = &p;
      ++count;
    }
    if (count == 1) info.pupil = found;
    info.ambiguous_name = count > 1;
  }
  if (!c.name.empty() && r.has_parents && !info.pupil) {
    for (const auto& ref : r.FindByName(c.name, ctx.normalizer)) {
      if (ref.kind != PersonKind::kParent) continue;
      info.parent = &r.parents[ref.index];
      break;
    }
  }
  info.dob = info.pupil && info.pupil->date_of_birth ? info.pupil->date_of_birth : c.date_of_birth;
  if (info.pupil && info.display.empty()) info.display = PupilName(*info.pupil);
  if (info.display.empty()) info.display = c.pupil_id.empty() ? "the other person" : c.pupil_id;
  return info;
}

}  // namespace gh::engine::checks
