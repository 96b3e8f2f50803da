#include "vision/analyzer.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace gh::vision {

std::optional<Box> ImageReport::BoxOf(uint32_t from, uint32_t to) const {
  std::optional<Box> out;
  for (const OcrWord& w : ocr.words) {
    if (w.to <= from || w.from >= to) continue;
    out = out ? Union(*out, w.box) : w.box;
  }
  return out;
}

namespace {

nlohmann::json BoxJson(const Box& b) { return {{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}}; }

Result<Box> BoxFrom(const nlohmann::json& j, const std::string& at) {
  if (!j.is_object()) return Status::InvalidArgument(at + ": must be an object {x,y,w,h}");
  Box b;
  for (auto [key, v] : {std::pair{"x", &b.x}, {"y", &b.y}, {"w", &b.w}, {"h", &b.h}}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) {
      return Status::InvalidArgument(at + "." + key + ": must be an integer");
    }
    *v = it->get<int>();
  }
  return b;
}

}  // namespace

nlohmann::json ToJson(const ImageReport& r) {
  nlohmann::json j = {
      {"format", FormatName(r.info.format)}, {"width", r.info.width}, {"height", r.info.height}};
  if (!r.not_analysed.empty()) j["not_analysed"] = r.not_analysed;
  nlohmann::json md = nlohmann::json::object();
  const Metadata& m = r.metadata;
  if (m.gps) md["gps"] = {{"lat", m.gps->lat}, {"lon", m.gps->lon}};
  for (auto [k, v] : {std::pair{"make", &m.make},
                      {"model", &m.model},
                      {"serial", &m.serial},
                      {"software", &m.software},
                      {"captured_at", &m.captured_at}}) {
    if (!v->empty()) md[k] = *v;
  }
  if (m.orientation != 1) md["orientation"] = m.orientation;
  md["keys"] = m.keys;
  j["metadata"] = md;
  nlohmann::json words = nlohmann::json::array();
  for (const OcrWord& w : r.ocr.words) {
    words.push_back({{"text", w.text},
                     {"from", w.from},
                     {"to", w.to},
                     {"box", BoxJson(w.box)},
                     {"confidence", std::lround(w.confidence)}});
  }
  j["text"] = {{"content", r.ocr.text}, {"words", words}, {"skew_deg", r.ocr.skew_deg}};
  nlohmann::json faces = nlohmann::json::array();
  for (const Box& b : r.faces) faces.push_back(BoxJson(b));
  j["faces"] = faces;
  nlohmann::json logos = nlohmann::json::array();
  for (const LogoHit& l : r.logos) {
    logos.push_back({{"id", l.id}, {"box", BoxJson(l.box)}, {"inliers", l.inliers}});
  }
  j["logos"] = logos;
  j["millis"] = std::lround(r.millis);
  return j;
}

Result<ImageReport> ReportFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::InvalidArgument("image report: must be an object");
  ImageReport r;
  try {
    const std::string fmt = j.value("format", "jpeg");
    bool known = false;
    for (Format f : {Format::kJpeg, Format::kPng, Format::kGif, Format::kWebp, Format::kBmp}) {
      if (FormatName(f) == fmt) r.info.format = f, known = true;
    }
    if (!known) return Status::InvalidArgument("image report: unknown format '" + fmt + "'");
    r.info.width = j.value("width", 0u);
    r.info.height = j.value("height", 0u);
    r.not_analysed = j.value("not_analysed", "");
    const nlohmann::json md = j.value("metadata", nlohmann::json::object());
    if (auto g = md.find("gps"); g != md.end()) {
      r.metadata.gps = GeoPoint{g->at("lat").get<double>(), g->at("lon").get<double>()};
    }
    r.metadata.make = md.value("make", "");
    r.metadata.model = md.value("model", "");
    r.metadata.serial = md.value("serial", "");
    r.metadata.software = md.value("software", "");
    r.metadata.captured_at = md.value("captured_at", "");
    r.metadata.orientation = md.value("orientation", 1);
    r.metadata.keys = md.value("keys", std::vector<std::string>{});
    const nlohmann::json text = j.value("text", nlohmann::json::object());
    r.ocr.text = text.value("content", "");
    r.ocr.skew_deg = text.value("skew_deg", 0.0);
    size_t i = 0;
    for (const auto& w : text.value("words", nlohmann::json::array())) {
      OcrWord ow;
      ow.text = w.value("text", "");
      ow.from = w.value("from", 0u);
      ow.to = w.value("to", 0u);
      if (ow.from > ow.to || ow.to > r.ocr.text.size()) {
        return Status::InvalidArgument("image report: text.words[" + std::to_string(i) +
                                       "]: offsets outside the text");
      }
      GH_ASSIGN_OR_RETURN(ow.box,
                          BoxFrom(w.value("box", nlohmann::json()),
                                  "image report: text.words[" + std::to_string(i) + "].box"));
      ow.confidence = w.value("confidence", 0.0f);
      r.ocr.words.push_back(std::move(ow));
      ++i;
    }
    i = 0;
    for (const auto& f : j.value("faces", nlohmann::json::array())) {
      GH_ASSIGN_OR_RETURN(Box b, BoxFrom(f, "image report: faces[" + std::to_string(i++) + "]"));
      r.faces.push_back(b);
    }
    i = 0;
    for (const auto& l : j.value("logos", nlohmann::json::array())) {
      LogoHit h;
      h.id = l.value("id", "");
      h.inliers = l.value("inliers", 0);
      GH_ASSIGN_OR_RETURN(h.box, BoxFrom(l.value("box", nlohmann::json()),
                                         "image report: logos[" + std::to_string(i++) + "].box"));
      r.logos.push_back(std::move(h));
    }
    r.millis = j.value("millis", 0.0);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("image report: ") + e.what());
  }
  return r;
}

struct Analyzer::Worker {
  std::unique_ptr<Ocr> ocr;
  std::unique_ptr<FaceDetector> faces;
};

Analyzer::Analyzer(AnalyzerOptions options) : options_(std::move(options)) {}
Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer::Worker>> Analyzer::NewWorker() const {
  auto w = std::make_unique<Worker>();
  if (options_.ocr) {
    GH_ASSIGN_OR_RETURN(w->ocr, Ocr::Create(options_.tessdata, options_.min_ocr_confidence));
  }
  if (options_.faces) {
    GH_ASSIGN_OR_RETURN(w->faces, FaceDetector::Create(options_.cascade_dir));
  }
  return w;
}

Result<std::shared_ptr<Analyzer>> Analyzer::Create(AnalyzerOptions options) {
  if (options.max_workers <= 0) {
    options.max_workers = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  std::shared_ptr<Analyzer> a(new Analyzer(std::move(options)));
  GH_ASSIGN_OR_RETURN(std::unique_ptr<Worker> first, a->NewWorker());
  a->idle_.push_back(std::move(first));
  a->workers_ = 1;
  return a;
}

Result<ImageReport> Analyzer::Analyze(std::string_view bytes, const LogoLibrary* logos) const {
  const auto t0 = std::chrono::steady_clock::now();
  ImageReport r;
  GH_ASSIGN_OR_RETURN(r.info, Probe(bytes, options_.limits));
  GH_ASSIGN_OR_RETURN(r.metadata, ReadMetadata(bytes));
  Result<cv::Mat> pixels = DecodeProbed(bytes, r.info, r.metadata.orientation);
  if (!pixels.ok()) {
    if (pixels.status().code() != Status::Code::kFailedPrecondition) return pixels.status();
    r.not_analysed = pixels.status().message();
  } else {
    std::unique_ptr<Worker> w;
    bool make = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      freed_.wait(lock, [&] { return !idle_.empty() || workers_ < options_.max_workers; });
      if (!idle_.empty()) {
        w = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++workers_;
        make = true;
      }
    }
    if (make) {
      Result<std::unique_ptr<Worker>> made = NewWorker();
      if (!made.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        --workers_;
        freed_.notify_one();
        return made.status();
      }
      w = std::move(*made);
    }
    Status st = Status::Ok();
    try {
      if (w->ocr) {
        Result<OcrResult> text = w->ocr->Read(*pixels, options_.limits.ocr_max_side);
        if (text.ok()) {
          r.ocr = std::move(*text);
        } else {
          st = text.status();
        }
      }
      if (st.ok() && w->faces) r.faces = w->faces->Detect(*pixels, options_.limits.face_max_side);
      if (st.ok() && logos) r.logos = logos->Find(*pixels, options_.limits.face_max_side);
    } catch (const cv::Exception& e) {
      st = Status::Internal(std::string("image analysis failed: ") + e.what());
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(std::move(w));
    }
    freed_.notify_one();
    GH_RETURN_IF_ERROR(st);
  }
  r.millis =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

Result<const Analyzer*> LazyAnalyzer::Get() {
  std::call_once(once_, [this] {
    auto a = Analyzer::Create(options_);
    if (a.ok()) {
      analyzer_ = std::move(*a);
    } else {
      error_ = a.status();
    }
  });
  if (!analyzer_) return error_;
  return static_cast<const Analyzer*>(analyzer_.get());
}

}  // namespace gh::vision
