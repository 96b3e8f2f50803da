// Event: one piece of social media activity to screen (CHECK.md "The event").
//
// Parsed from JSON with simdjson (the hot path of bulk screening); every field
// but `kind` is optional. A field of the wrong type, an unknown kind or channel,
// a malformed time or invalid UTF-8 is an error naming the field.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "vision/analyzer.h"

namespace gh::engine {

enum class Kind { kPost, kComment, kMessage, kConnection, kProfile };
enum class Channel { kPersonal, kOfficial };

std::string_view KindName(Kind k);
std::string_view ChannelName(Channel c);
std::optional<Kind> ParseKind(std::string_view s);
std::optional<Channel> ParseChannel(std::string_view s);

struct Media {
  std::string path;  // as given (relative to the event file)
  std::string alt;
  std::string sha256;  // filled in by the caller that can read the file (lower-case hex)
  // Extension: the image itself, for callers that cannot send a path (the
  // HTTP API's `content_base64`, decoded here). Empty = read `path`.
  std::string bytes;
  // Extension: how many adults the author says the image shows (staff,
  // parents), so that faces beyond them and the consented pupils tagged are
  // the ones without consent. Absent = not said.
  std::optional<int> adults;
  // What is in the image (engine/media.h AnalyzeMedia); null = not analysed.
  std::shared_ptr<const vision::ImageReport> image;
};

struct Counterpart {
  std::string name;
  std::optional<CivilDate> date_of_birth;
  std::string pupil_id;
  std::string role;  // pupil, former_pupil, parent, colleague, other (free text kept)
};

struct Profile {
  std::string email;
  std::optional<bool> approve_followers;
  std::string visibility;
};

struct Event {
  Kind kind = Kind::kPost;
  Channel channel = Channel::kPersonal;  // default when absent
  bool channel_given = false;
  std::string platform;  // lower-cased
  std::string author;    // staff id
  std::optional<Instant> at;
  std::string at_text;  // as given
  std::string text;
  std::vector<std::string> links;
  std::vector<Media> media;
  std::vector<std::string> tags;
  std::optional<Counterpart> counterpart;
  std::optional<Profile> profile;
  std::string via;        // extension: "scheduled" | "proxy" | "" (posted by the author, live)
  std::string direction;  // extension: "sent" | "received" | "" (for messages/connections)
};

// Parses one event. `where` prefixes messages ("event.json", "line 7").
// Messages name the field: "line 7: field 'at': '2026-13-01T..' is not ...".
Result<Event> ParseEventJson(std::string_view json, std::string_view where);

// An event made from plain text: a personal post (CHECK.md: "A file that is
// not JSON is taken as the text of a personal post").
Event EventFromText(std::string text);

// A reusable parser for streams (keeps simdjson's buffers between lines).
// Not thread-safe; one per thread.
class EventParser {
 public:
  EventParser();
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;
  Result<Event> Parse(std::string_view json, std::string_view where);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace gh::engine
