#include "engine/event.h"

#include <cstring>
#include <exception>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "base/base64.h"
#include "base/strings.h"
#include "base/utf8.h"

namespace gh::engine {

namespace {

constexpr std::string_view kKinds = "post, comment, message, connection, profile";
constexpr std::string_view kChannels = "personal, official";

bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

// "'value'" (built by appending: g++ 12 warns falsely on "'" + std::string).
std::string Quote(std::string_view v) {
  std::string q;
  q.reserve(v.size() + 2);
  q += '\'';
  q.append(v);
  q += '\'';
  return q;
}

void AssignLowerTrimmed(std::string& out, std::string_view s) {
  s = Trim(s);
  out.assign(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

// Where a value sits in the event: "at", "media[1].path", "counterpart.name".
// Rendered into a string only when there is an error to report, so the happy
// path allocates nothing for it.
struct FieldPath {
  explicit FieldPath(std::string_view p, int64_t i = -1, std::string_view c = {})
      : parent(p), index(i), child(c) {}

  std::string_view parent;  // "media", "counterpart", or the field itself
  int64_t index;            // array index, or -1
  std::string_view child;   // member of an object inside parent, or ""

  std::string Render() const {
    std::string s(parent);
    if (index >= 0) s += "[" + std::to_string(index) + "]";
    if (!child.empty()) {
      s += '.';
      s += child;
    }
    return s;
  }
};

std::string_view TypeName(const simdjson::dom::element& e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return "a number";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "an unknown value";
}

// Builds the messages; holds `where` so each helper does not need it.
class Reader {
 public:
  explicit Reader(std::string_view where) : where_(where) {}

  Status Error(const FieldPath& path, std::string_view what) const {
    std::string msg;
    if (!where_.empty()) {
      msg.append(where_);
      msg.append(": ");
    }
    msg.append("field '");
    msg.append(path.Render());
    msg.append("': ");
    msg.append(what);
    return Status::InvalidArgument(std::move(msg));
  }

  Status Whole(std::string_view what) const {
    if (where_.empty()) return Status::InvalidArgument(std::string(what));
    std::string msg(where_);
    msg.append(": ");
    msg.append(what);
    return Status::InvalidArgument(std::move(msg));
  }

  Status TypeError(const FieldPath& path, std::string_view expected,
                   const simdjson::dom::element& got) const {
    std::string what = "expected ";
    what.append(expected);
    what.append(", got ");
    what.append(TypeName(got));
    return Error(path, what);
  }

  Status String(const simdjson::dom::element& e, const FieldPath& path,
                std::string_view& out) const {
    if (e.get_string().get(out) != simdjson::SUCCESS) return TypeError(path, "a string", e);
    return Status::Ok();
  }

  Status StringInto(const simdjson::dom::element& e, const FieldPath& path,
                    std::string& out) const {
    std::string_view s;
    GH_RETURN_IF_ERROR(String(e, path, s));
    out.assign(s);
    return Status::Ok();
  }

  Status LowerInto(const simdjson::dom::element& e, const FieldPath& path, std::string& out) const {
    std::string_view s;
    GH_RETURN_IF_ERROR(String(e, path, s));
    AssignLowerTrimmed(out, s);
    return Status::Ok();
  }

  Status StringArray(const simdjson::dom::element& e, std::string_view field,
                     std::vector<std::string>& out) const {
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS) {
      return TypeError(FieldPath{field}, "an array of strings", e);
    }
    out.clear();
    out.reserve(arr.size());
    int64_t i = 0;
    for (simdjson::dom::element item : arr) {
      std::string_view s;
      GH_RETURN_IF_ERROR(String(item, FieldPath{field, i}, s));
      out.emplace_back(s);
      ++i;
    }
    return Status::Ok();
  }

  Status Media(const simdjson::dom::element& e, std::vector<engine::Media>& out) const {
    simdjson::dom::array arr;
    if (e.get_array().get(arr) != simdjson::SUCCESS) {
      return TypeError(FieldPath{"media"}, "an array of objects", e);
    }
    out.clear();
    out.reserve(arr.size());
    int64_t i = 0;
    for (simdjson::dom::element item : arr) {
      simdjson::dom::object obj;
      if (item.get_object().get(obj) != simdjson::SUCCESS) {
        return TypeError(FieldPath{"media", i}, "an object", item);
      }
      engine::Media m;
      for (auto field : obj) {
        if (field.value.is_null()) continue;
        if (field.key == "path") {
          GH_RETURN_IF_ERROR(StringInto(field.value, FieldPath{"media", i, "path"}, m.path));
        } else if (field.key == "alt") {
          GH_RETURN_IF_ERROR(StringInto(field.value, FieldPath{"media", i, "alt"}, m.alt));
        } else if (field.key == "sha256") {
          // A caller that cannot send the file (an API client) may send its hash.
          const FieldPath path{"media", i, "sha256"};
          GH_RETURN_IF_ERROR(StringInto(field.value, path, m.sha256));
          bool hex = m.sha256.size() == 64;
          for (char& c : m.sha256) {
            if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
            hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
          }
          if (!hex) return Error(path, Quote(m.sha256) + " is not 64 hex digits (a SHA-256)");
        } else if (field.key == "content_base64") {
          const FieldPath path{"media", i, "content_base64"};
          std::string b64;
          GH_RETURN_IF_ERROR(StringInto(field.value, path, b64));
          std::optional<std::string> bytes = Base64Decode(b64);
          if (!bytes) return Error(path, "is not valid base64");
          m.bytes = std::move(*bytes);
        } else if (field.key == "adults") {
          const FieldPath path{"media", i, "adults"};
          int64_t n = 0;
          if (field.value.get_int64().get(n) != simdjson::SUCCESS || n < 0 || n > 1000) {
            return TypeError(path, "a whole number from 0 to 1000", field.value);
          }
          m.adults = static_cast<int>(n);
        }
      }
      out.push_back(std::move(m));
      ++i;
    }
    return Status::Ok();
  }

  Status CounterpartOf(const simdjson::dom::element& e, Counterpart& out) const {
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
      return TypeError(FieldPath{"counterpart"}, "an object", e);
    }
    for (auto field : obj) {
      if (field.value.is_null()) continue;
      const FieldPath path{"counterpart", -1, field.key};
      if (field.key == "name") {
        GH_RETURN_IF_ERROR(StringInto(field.value, path, out.name));
      } else if (field.key == "date_of_birth") {
        std::string_view s;
        GH_RETURN_IF_ERROR(String(field.value, path, s));
        Result<CivilDate> d = ParseDate(Trim(s));
        if (!d.ok()) return Error(path, d.status().message());
        out.date_of_birth = *d;
      } else if (field.key == "pupil_id") {
        std::string_view s;
        GH_RETURN_IF_ERROR(String(field.value, path, s));
        out.pupil_id.assign(Trim(s));
      } else if (field.key == "role") {
        GH_RETURN_IF_ERROR(LowerInto(field.value, path, out.role));
      }
    }
    return Status::Ok();
  }

  Status ProfileOf(const simdjson::dom::element& e, Profile& out) const {
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
      return TypeError(FieldPath{"profile"}, "an object", e);
    }
    for (auto field : obj) {
      if (field.value.is_null()) continue;
      const FieldPath path{"profile", -1, field.key};
      if (field.key == "email") {
        std::string_view s;
        GH_RETURN_IF_ERROR(String(field.value, path, s));
        out.email.assign(Trim(s));
      } else if (field.key == "approve_followers") {
        bool b = false;
        if (field.value.get_bool().get(b) != simdjson::SUCCESS) {
          return TypeError(path, "true or false", field.value);
        }
        out.approve_followers = b;
      } else if (field.key == "visibility") {
        GH_RETURN_IF_ERROR(LowerInto(field.value, path, out.visibility));
      }
    }
    return Status::Ok();
  }

  // A string that must be one of `allowed` (comma-separated list for the
  // message) once lower-cased; "" is always allowed.
  Status Choice(const simdjson::dom::element& e, std::string_view field,
                std::initializer_list<std::string_view> allowed, std::string& out) const {
    std::string_view s;
    GH_RETURN_IF_ERROR(String(e, FieldPath{field}, s));
    AssignLowerTrimmed(out, s);
    if (out.empty()) return Status::Ok();
    for (std::string_view a : allowed) {
      if (out == a) return Status::Ok();
    }
    std::string list;
    for (std::string_view a : allowed) {
      if (!list.empty()) list += ", ";
      list += a;
    }
    return Error(FieldPath{field}, Quote(s) + " is not one of " + list);
  }

 private:
  std::string_view where_;
};

// simdjson says only that the document is malformed; nlohmann::json says where.
// It is consulted only on this error path.
Status MalformedJson(std::string_view json, const Reader& reader, simdjson::error_code code) {
  if (code == simdjson::EMPTY) return reader.Whole("empty input (expected a JSON object)");
  try {
    const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end());
    (void)doc;
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based index of the last character read.
    size_t pos = e.byte > 0 ? e.byte - 1 : 0;
    if (pos > json.size()) pos = json.size();
    const utf8::LineCol lc = utf8::LineColumnAt(json, pos);
    std::string_view what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    if (const size_t col = what.find("column "); col != std::string_view::npos) {
      if (const size_t colon = what.find(": ", col); colon != std::string_view::npos) {
        what.remove_prefix(colon + 2);
      }
    }
    return reader.Whole("malformed JSON at line " + std::to_string(lc.line) + ", column " +
                        std::to_string(lc.column) + ": " + std::string(what));
  } catch (const std::exception& e) {
    return reader.Whole(std::string("malformed JSON: ") + e.what());
  }
  // nlohmann accepted what simdjson refused (nesting deeper than simdjson's
  // limit, a number out of range): report simdjson's reason.
  return reader.Whole(std::string("malformed JSON: ") + simdjson::error_message(code));
}

Result<Event> ParseElement(const simdjson::dom::element& root, const Reader& r) {
  simdjson::dom::object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    return r.Whole("expected a JSON object (an event), got " + std::string(TypeName(root)));
  }
  Event ev;
  bool kind_given = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    const simdjson::dom::element& v = field.value;
    // null is taken as absent: exporters often write every field.
    if (v.is_null()) continue;
    if (key == "kind") {
      std::string_view s;
      GH_RETURN_IF_ERROR(r.String(v, FieldPath{"kind"}, s));
      const std::optional<Kind> k = ParseKind(Trim(s));
      if (!k) {
        return r.Error(FieldPath{"kind"}, Quote(s) + " is not one of " + std::string(kKinds));
      }
      ev.kind = *k;
      kind_given = true;
    } else if (key == "channel") {
      std::string_view s;
      GH_RETURN_IF_ERROR(r.String(v, FieldPath{"channel"}, s));
      const std::optional<Channel> c = ParseChannel(Trim(s));
      if (!c) {
        return r.Error(FieldPath{"channel"}, Quote(s) + " is not one of " + std::string(kChannels));
      }
      ev.channel = *c;
      ev.channel_given = true;
    } else if (key == "platform") {
      GH_RETURN_IF_ERROR(r.LowerInto(v, FieldPath{"platform"}, ev.platform));
    } else if (key == "author") {
      std::string_view s;
      GH_RETURN_IF_ERROR(r.String(v, FieldPath{"author"}, s));
      ev.author.assign(Trim(s));
    } else if (key == "at") {
      std::string_view s;
      GH_RETURN_IF_ERROR(r.String(v, FieldPath{"at"}, s));
      Result<Instant> at = ParseInstant(Trim(s));
      if (!at.ok()) return r.Error(FieldPath{"at"}, at.status().message());
      ev.at = *at;
      ev.at_text.assign(s);
    } else if (key == "text") {
      GH_RETURN_IF_ERROR(r.StringInto(v, FieldPath{"text"}, ev.text));
    } else if (key == "links") {
      GH_RETURN_IF_ERROR(r.StringArray(v, "links", ev.links));
    } else if (key == "media") {
      GH_RETURN_IF_ERROR(r.Media(v, ev.media));
    } else if (key == "tags") {
      GH_RETURN_IF_ERROR(r.StringArray(v, "tags", ev.tags));
      for (std::string& t : ev.tags) {
        const std::string_view trimmed = Trim(t);
        if (trimmed.size() != t.size()) t = std::string(trimmed);
      }
    } else if (key == "counterpart") {
      Counterpart c;
      GH_RETURN_IF_ERROR(r.CounterpartOf(v, c));
      ev.counterpart = std::move(c);
    } else if (key == "profile") {
      Profile p;
      GH_RETURN_IF_ERROR(r.ProfileOf(v, p));
      ev.profile = std::move(p);
    } else if (key == "via") {
      GH_RETURN_IF_ERROR(r.Choice(v, "via", {"scheduled", "proxy"}, ev.via));
    } else if (key == "direction") {
      GH_RETURN_IF_ERROR(r.Choice(v, "direction", {"sent", "received"}, ev.direction));
    }
    // Unknown fields are ignored: CHECK.md says fields may be added.
  }
  if (!kind_given) {
    return r.Error(FieldPath{"kind"}, "missing (one of " + std::string(kKinds) + ")");
  }
  return ev;
}

}  // namespace

std::string_view KindName(Kind k) {
  switch (k) {
    case Kind::kPost:
      return "post";
    case Kind::kComment:
      return "comment";
    case Kind::kMessage:
      return "message";
    case Kind::kConnection:
      return "connection";
    case Kind::kProfile:
      return "profile";
  }
  return "post";
}

std::string_view ChannelName(Channel c) {
  return c == Channel::kOfficial ? "official" : "personal";
}

std::optional<Kind> ParseKind(std::string_view s) {
  for (Kind k : {Kind::kPost, Kind::kComment, Kind::kMessage, Kind::kConnection, Kind::kProfile}) {
    if (EqualsIgnoreCaseAscii(s, KindName(k))) return k;
  }
  return std::nullopt;
}

std::optional<Channel> ParseChannel(std::string_view s) {
  if (EqualsIgnoreCaseAscii(s, "personal")) return Channel::kPersonal;
  if (EqualsIgnoreCaseAscii(s, "official")) return Channel::kOfficial;
  return std::nullopt;
}

Event EventFromText(std::string text) {
  Event ev;
  ev.kind = Kind::kPost;
  ev.channel = Channel::kPersonal;
  ev.text = std::move(text);
  return ev;
}

struct EventParser::Impl {
  simdjson::dom::parser parser;
  // The line copied with SIMDJSON_PADDING readable bytes after it, reused.
  std::vector<char> buffer;
};

EventParser::EventParser() : impl_(new Impl) {}
EventParser::~EventParser() { delete impl_; }

Result<Event> EventParser::Parse(std::string_view json, std::string_view where) {
  const Reader reader(where);
  if (const size_t bad = utf8::FindInvalid(json); bad != std::string_view::npos) {
    return reader.Whole("invalid UTF-8 at byte " + std::to_string(bad));
  }
  std::vector<char>& buf = impl_->buffer;
  if (buf.size() < json.size() + simdjson::SIMDJSON_PADDING) {
    buf.resize(json.size() + simdjson::SIMDJSON_PADDING);
  }
  if (!json.empty()) std::memcpy(buf.data(), json.data(), json.size());
  std::memset(buf.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  simdjson::dom::element root;
  const simdjson::error_code code =
      impl_->parser.parse(buf.data(), json.size(), /*realloc_if_needed=*/false).get(root);
  if (code != simdjson::SUCCESS) return MalformedJson(json, reader, code);
  return ParseElement(root, reader);
}

Result<Event> ParseEventJson(std::string_view json, std::string_view where) {
  thread_local EventParser parser;
  return parser.Parse(json, where);
}

}  // namespace gh::engine
