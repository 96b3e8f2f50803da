// Media: looking at an event's images before it is screened.
//
// The engine never reads files; the caller says where each image's bytes come
// from (a file beside the event, the API's content_base64, a draft's stored
// upload) and AnalyzeMedia fills Media::image with what the vision layer sees:
// the words (screened like the post's text), faces, metadata and logos, which
// the image checks judge.
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "engine/event.h"
#include "vision/analyzer.h"

namespace gh::engine {

// The bytes of media[index]: from Media::bytes, a file, a store. An empty
// string means the caller has none (the item is left unanalysed); media with
// neither bytes nor a path are skipped without asking.
using MediaLoader = std::function<Result<std::string>(size_t index, const Media& m)>;

// Analyses every image of `event` that has no report yet. Errors name the
// field: "field 'media[1]': photos/day.jpg is truncated (a JPEG without its
// end-of-image marker)". `where` prefixes messages ("event.json", "line 7").
Status AnalyzeMedia(Event& event, const vision::Analyzer& analyzer,
                    const vision::LogoLibrary* logos, const MediaLoader& load,
                    std::string_view where);

// Rule cases (policies/README.md "Cases") say what an image contains instead
// of shipping one: `media[i].image` holds an image report in the shape
// `gatehouse image analyze` prints (any part may be left out). Only the
// policy test runner calls this; events from users never carry reports, so
// nobody can tell Gatehouse an image has no faces.
Status AttachDescribedImages(std::string_view event_json, Event& event, std::string_view where);

}  // namespace gh::engine
