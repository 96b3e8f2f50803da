#include "engine/media.h"

#include <nlohmann/json.hpp>

namespace gh::engine {

Status AnalyzeMedia(Event& event, const vision::Analyzer& analyzer,
                    const vision::LogoLibrary* logos, const MediaLoader& load,
                    std::string_view where) {
  for (size_t i = 0; i < event.media.size(); ++i) {
    Media& m = event.media[i];
    if (m.image) continue;
    const std::string field = "field 'media[" + std::to_string(i) + "]': ";
    const std::string prefix = where.empty() ? field : std::string(where) + ": " + field;
    std::string name = m.path.empty() ? "the image" : m.path;
    if (m.bytes.empty() && m.path.empty()) continue;  // described only (alt text, a hash)
    Result<std::string> bytes = m.bytes.empty() ? load(i, m) : Result<std::string>(m.bytes);
    if (!bytes.ok()) return Status::InvalidArgument(prefix + bytes.status().message());
    if (bytes->empty()) continue;  // the caller has no bytes for it (an API client's path)
    Result<vision::ImageReport> report = analyzer.Analyze(*bytes, logos);
    if (!report.ok()) {
      Status st = report.status();
      const std::string msg = prefix + name + " " + st.message();
      return st.code() == Status::Code::kInvalidArgument ? Status::InvalidArgument(msg)
                                                         : Status::Internal(msg);
    }
    m.image = std::make_shared<const vision::ImageReport>(std::move(*report));
  }
  return Status::Ok();
}

Status AttachDescribedImages(std::string_view event_json, Event& event, std::string_view where) {
  const nlohmann::json j = nlohmann::json::parse(event_json, nullptr, false);
  if (!j.is_object() || !j.contains("media") || !j["media"].is_array()) return Status::Ok();
  const nlohmann::json& media = j["media"];
  for (size_t i = 0; i < media.size() && i < event.media.size(); ++i) {
    if (!media[i].is_object() || !media[i].contains("image")) continue;
    Result<vision::ImageReport> r = vision::ReportFromJson(media[i]["image"]);
    if (!r.ok()) {
      return Status::InvalidArgument(std::string(where) + ": field 'media[" + std::to_string(i) +
                                     "].image': " + r.status().message());
    }
    event.media[i].image = std::make_shared<const vision::ImageReport>(std::move(*r));
  }
  return Status::Ok();
}

}  // namespace gh::engine
