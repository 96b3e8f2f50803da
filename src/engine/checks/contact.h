// Who the counterpart of a connection or message is, from the registers and
// what the event says (shared by the contact checks).
#pragma once

#include <optional>
#include <string>

#include "engine/check.h"

namespace gh::engine::checks {

struct CounterpartInfo {
  const Pupil* pupil = nullptr;    // matched pupil row
  const Parent* parent = nullptr;  // matched parent row
  bool said_pupil = false;         // counterpart.role == pupil
  bool said_former = false;        // counterpart.role == former_pupil
  bool said_parent = false;        // counterpart.role == parent
  bool ambiguous_name = false;     // the name matched several pupils
  std::optional<CivilDate> dob;    // from the register, else the event
  std::string display;             // a name to show
};

CounterpartInfo ResolveCounterpart(const CheckContext& ctx);

}  // namespace gh::engine::checks
