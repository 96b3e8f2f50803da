// Synthetic registers and events for the benchmarks, generated from a fixed
// seed so every run screens the same data.
//
// The register is a large multi-academy trust: e.g. 50,000 pupils (5% former),
// one parent row per pupil, one member of staff per 12 pupils, 200 staff-pupil
// relatives, 30 sites and a school day for every school given. The events are 280-character
// personal posts, a mix like a real feed: mostly clean, some naming pupils or
// staff from the register, some profane, some with links, e-mail addresses or
// phone numbers. bench/gen_register.py and bench/gen_events.py write the same
// kind of data to files for the whole-CLI measurement (same shape, not the
// same bytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gh::bench {

// A small, portable PRNG (SplitMix64): the same sequence on every platform,
// unlike std::uniform_int_distribution.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

struct SyntheticRegister {
  // File name -> CSV text, ready for Registers::FromCsvTexts.
  std::vector<std::pair<std::string, std::string>> tables;
  // Names the event generator may mention ("First Last").
  std::vector<std::string> pupil_names, staff_names;
  std::vector<std::string> staff_ids;
  size_t bytes = 0;  // total CSV size
};

// `schools`: school ids to spread pupils, staff and hours over.
SyntheticRegister MakeRegister(size_t pupils, const std::vector<std::string>& schools,
                               uint64_t seed);

struct SyntheticEvents {
  std::vector<std::string> json_lines;  // one event per line, no newline
  size_t bytes = 0;                     // total JSON bytes (without newlines)
  size_t text_bytes = 0;                // total bytes of the "text" fields
};

// `count` events of about `text_length` bytes of text each.
SyntheticEvents MakeEvents(size_t count, size_t text_length, const SyntheticRegister& reg,
                           uint64_t seed);

}  // namespace gh::bench
