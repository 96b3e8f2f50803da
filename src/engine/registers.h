// Registers: the people and lists a trust keeps (CHECK.md "The register
// folder"), loaded from CSV, with a name index for finding people in text.
//
// Loading is strict: a bad date, an unknown status or a duplicate id is an
// error naming the file, line and column; nothing is half-loaded. A file that
// is absent leaves its register missing (has_pupils == false, ...), which rules
// report as "register missing" instead of guessing.
//
// Thread-safety: immutable after loading; share freely.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace gh::match {
class Normalizer;
}

namespace gh::engine {

enum class PersonKind : uint8_t { kCurrentPupil, kFormerPupil, kStaff, kParent };
std::string_view PersonKindName(PersonKind k);

struct Pupil {
  std::string id, first_name, last_name, preferred_name, school;
  std::optional<CivilDate> date_of_birth;
  bool current = true;
  std::optional<CivilDate> left_on;
  std::optional<bool> photo_consent;  // absent = not recorded
  std::optional<bool> social_media_consent;
};

struct Staff {
  std::string id, first_name, last_name, email, role, school;
  bool spokesperson = false;
};

struct Parent {
  std::string id, first_name, last_name, pupil_id, email, phone;
};

struct Relative {
  std::string staff_id, pupil_id, relationship;
};

struct Site {
  std::string domain;  // lower case, no "www."
  bool approved = false;
};

// An approved photo device (extension: devices.csv, the register the
// workflow keeps as "devices"), recognised in a photo's EXIF by its serial.
struct Device {
  std::string id, description, serial, school;
  bool approved = true;  // status approved (default) or withdrawn
};

// A serial number as cameras and people write it, compared without case,
// spaces, dashes or underscores: "AB-12 34" and "ab1234" are one device.
std::string SerialKey(std::string_view serial);

struct HoursPeriod {
  std::string school;
  int weekday = 0;  // 0 = Monday
  int start = 0;    // minutes since midnight
  int end = 0;
  bool is_break = false;
};

// A person found by name: which register and which row.
struct PersonRef {
  PersonKind kind;
  uint32_t index;  // into pupils / staff / parents
};

class Registers {
 public:
  // Loads every known CSV present in `dir`. A missing directory is an error;
  // missing files are not. `normalizer` folds names for the name index.
  static Result<Registers> LoadDir(const std::string& dir, const match::Normalizer& normalizer);

  // Builds registers from rows already split into columns (tests, policy cases,
  // the future Store). Same validation and messages as LoadDir; `tables` maps a
  // file name ("pupils.csv") to its CSV text.
  static Result<Registers> FromCsvTexts(
      const std::vector<std::pair<std::string, std::string>>& tables,
      const match::Normalizer& normalizer);

  Registers() = default;  // every register missing

  bool has_pupils = false, has_staff = false, has_parents = false, has_relatives = false,
       has_sites = false, has_hours = false, has_devices = false;

  std::vector<Pupil> pupils;
  std::vector<Staff> staff;
  std::vector<Parent> parents;
  std::vector<Relative> relatives;
  std::vector<Site> sites;
  std::vector<HoursPeriod> hours;
  std::vector<Device> devices;

  const Pupil* FindPupil(std::string_view id) const;
  const Staff* FindStaff(std::string_view id) const;
  const Parent* FindParent(std::string_view id) const;
  // The site entry for a host, matching parent domains ("m.facebook.com" ->
  // "facebook.com"); nullptr when unlisted.
  const Site* FindSite(std::string_view host) const;
  // The device with this serial number (compared without case, spaces or
  // dashes); nullptr when none.
  const Device* FindDeviceBySerial(std::string_view serial) const;
  bool AreRelated(std::string_view staff_id, std::string_view pupil_id,
                  const std::vector<std::string>& relationships) const;

  // Finds register people named in `folded_tokens` (words of normalised text,
  // in order). Recognises "first last", "preferred last", "first L" (surname
  // initial, optional "."), and a first or preferred name alone only when
  // `allow_first_name_only`. Appends (token index of the first word, token
  // count, person) for each hit.
  struct NameHit {
    uint32_t token;
    uint32_t length;
    PersonRef person;
  };
  void FindNames(const std::vector<std::string_view>& folded_tokens, bool allow_first_name_only,
                 std::vector<NameHit>& out) const;

  // The rows of `hours` that apply to a school: its own and those written for
  // every school ("*"), in file order.
  const std::vector<uint32_t>& HoursOf(std::string_view school) const;

  // Finds a person by a free-text name (counterpart.name), folded.
  std::vector<PersonRef> FindByName(std::string_view name, const match::Normalizer& n) const;

 private:
  Status BuildIndexes(const match::Normalizer& normalizer);

  std::unordered_map<std::string, uint32_t> pupil_by_id_, staff_by_id_, parent_by_id_;
  std::unordered_map<std::string, uint32_t> site_by_domain_;
  // folded first (or preferred) name -> people with that name, and their
  // folded surnames.
  struct NameEntry {
    PersonRef person;
    std::string last;  // folded surname (may hold several words)
    // The second word byte of `last` (separators skipped, as MatchStream
    // does), 0 when it has fewer than two: a one-byte test that rules out most
    // entries of a bucket before the full match (FindNames).
    unsigned char second = 0;
  };
  // Looked up by string_view (a word of the text) without building a string.
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::vector<NameEntry>, ViewHash, std::equal_to<>> by_first_;
  // One bit per FirstKeyHash() value (mod the bitmap's size) of every key of
  // by_first_: most words of a post are no one's first name, and a clear bit
  // says so without hashing the key for the map (FindNames).
  std::vector<uint64_t> first_filter_;
  // HoursOf: per school named in hours.csv, and for any other school.
  std::unordered_map<std::string, std::vector<uint32_t>, ViewHash, std::equal_to<>>
      hours_by_school_;
  std::vector<uint32_t> hours_any_school_;
};

}  // namespace gh::engine
