// POST /api/v1/check?trust=<id>: the screening contract of CHECK.md over HTTP.
#include <unordered_map>

#include "base/time.h"
#include "base/utf8.h"
#include "engine/event.h"
#include "engine/media.h"
#include "engine/result.h"
#include "server/internal.h"

namespace gh::server {

void HandleCheck(Server::Impl& impl, Call& call) {
  const std::string trust = call.req.get_param_value("trust");
  if (trust.empty()) {
    return ReplyError(call.res, 400, "invalid_argument", "trust: query parameter is required",
                      "trust");
  }
  // Another trust's screening would use that trust's registers (its pupils):
  // as far as this caller is concerned, it does not exist.
  const engine::CompiledPack* pack = impl.Pack(trust);
  if (trust != call.who->user.trust || !pack) {
    return ReplyError(call.res, 404, "not_found", "unknown trust '" + trust + "'", "trust");
  }
  engine::ScreenOptions options;
  if (call.req.has_param("now")) {
    auto now = ParseInstant(call.req.get_param_value("now"));
    if (!now.ok())
      return ReplyError(call.res, 400, "invalid_argument", "now: " + now.status().message(), "now");
    options.now = *now;
  }
  const std::string& body = call.req.body;
  if (const size_t bad = utf8::FindInvalid(body); bad != std::string::npos) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "request body: invalid UTF-8 at byte " + std::to_string(bad));
  }
  thread_local engine::EventParser parser;
  auto event = parser.Parse(body, "request body");
  if (!event.ok()) return ReplyStatus(call.res, event.status());
  // Images sent as media[i].content_base64 are looked at; media given only
  // by path or hash are not (the server reads no client's files).
  bool any_bytes = false;
  for (const auto& m : event->media) any_bytes = any_bytes || !m.bytes.empty();
  if (any_bytes) {
    auto analyzer = impl.images.Get();
    if (!analyzer.ok()) return ReplyStatus(call.res, analyzer.status());
    Status st = engine::AnalyzeMedia(
        *event, **analyzer, pack->logos(),
        [](size_t, const engine::Media&) -> Result<std::string> { return std::string(); },
        "request body");
    if (!st.ok()) return ReplyStatus(call.res, st);
  }
  auto snapshot = impl.SnapshotFor(trust);
  if (!snapshot.ok()) return ReplyStatus(call.res, snapshot.status());
  const engine::Screener& screener = *(*snapshot)->screener;
  thread_local std::unordered_map<const engine::CompiledPack*, engine::ScreenState> states;
  auto it = states.find(pack);
  if (it == states.end()) {
    auto state = screener.NewState();
    if (!state.ok()) return ReplyStatus(call.res, state.status());
    it = states.emplace(pack, std::move(*state)).first;
  }
  const engine::ScreenResult result = screener.Screen(*event, options, it->second);
  std::string out;
  out.reserve(1024);
  engine::AppendJson(result, std::nullopt, out);
  call.res.status = 200;
  call.res.set_content(std::move(out), "application/json");
}

// POST /api/v1/images/strip: the image in the body, returned with every
// EXIF, XMP and IPTC field removed (GPS position, camera serial, capture
// time). The same function makes the published copy of an official post.
void HandleStripImage(Server::Impl& impl, Call& call) {
  const std::string& body = call.req.body;
  if (body.empty()) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "request body: send the image's bytes (Content-Type image/jpeg, ...)");
  }
  auto info = vision::Probe(body, impl.options.image_limits);
  if (!info.ok()) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "request body: the image " + info.status().message());
  }
  auto clean = vision::StripMetadata(body);
  if (!clean.ok()) {
    if (clean.status().code() == Status::Code::kInvalidArgument) {
      return ReplyError(call.res, 400, "invalid_argument",
                        "request body: the image " + clean.status().message());
    }
    return ReplyStatus(call.res, clean.status());
  }
  call.res.status = 200;
  call.res.set_content(std::move(*clean), std::string(vision::FormatMediaType(info->format)));
}

}  // namespace gh::server
